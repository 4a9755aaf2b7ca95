"""The journal's part of the home page keeps the privacy rules: an entry shows on someone's home only when they
may read it (reflections.selectors.news goes through entries_visible_to)."""

from __future__ import annotations

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_nobody_sees_anyone_elses_entries_on_their_home(alpha, journal):
    for person in (journal.other_mentor, journal.admin, journal.mentor_unshared, journal.mentor_ended,
                   journal.other_leader):
        assert journal.marker not in client_for(alpha, person).get("/").content.decode(), person
    # The leader's reply is news for the mentor it was written to; the mentor's reply is news for the author.
    assert journal.marker in client_for(alpha, journal.mentor_shared).get("/").content.decode()
    assert journal.marker in client_for(alpha, journal.author).get("/").content.decode()
