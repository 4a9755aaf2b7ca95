"""Pairing the same two people again does not bring back what was shared under an earlier pairing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from people.models import MentorPairing
from reflections.models import EntryShare
from reflections.selectors.sharing import entry_current_mentors
from reflections.selectors.visibility import entries_visible_to
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def test_old_shares_stay_dark_after_re_pairing_until_the_author_shares_again(alpha):
    leader = make_person(alpha, ["leader"])
    mentor = make_person(alpha, ["mentor"])
    today = timezone.localdate()
    with tenant_context(alpha):
        first = MentorPairing.objects.create(leader=leader, mentor=mentor, starts_on=today - timedelta(days=60))
        entry = entry_create(author=leader, title="OLD-SHARE-MARKER", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
        EntryShare.objects.filter(entry=entry).update(shared_at=timezone.now() - timedelta(days=30))
        first.ends_on = today - timedelta(days=10)
        first.save()
        MentorPairing.objects.create(leader=leader, mentor=mentor, starts_on=today)  # together again
        assert not entries_visible_to(mentor).filter(pk=entry.pk).exists()
        assert list(entry_current_mentors(entry)) == []
    at_mentor = client_for(alpha, mentor)
    assert at_mentor.get(f"/journal/{entry.pk}/").status_code == 404
    assert b"OLD-SHARE-MARKER" not in at_mentor.get("/mentoring/").content

    with tenant_context(alpha):
        entry_share(entry=entry, author=leader, mentor=mentor)  # the author chooses to share again
        assert list(entry_current_mentors(entry)) == [mentor]
    assert at_mentor.get(f"/journal/{entry.pk}/").status_code == 200
