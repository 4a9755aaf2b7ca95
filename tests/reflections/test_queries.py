"""The journal list and the mentoring page cost the same number of queries whatever the number of entries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from reflections.services.conversations import comment_create
from reflections.services.journal import entry_create
from reflections.services.sharing import entry_share
from tests.conftest import client_for, make_person
from tests.reflections.conftest import pair

pytestmark = pytest.mark.django_db

# One of them reads the in-app prompt cards; one asks whether "Teams" belongs in the navigation (teams_nav).
LIST_QUERIES = 12
MENTORING_QUERIES = 11


def _write(alpha, leader, mentor, count: int) -> None:
    with tenant_context(alpha):
        for n in range(count):
            entry = entry_create(author=leader, title=f"Entry {n}", template="gibbs", behaviours=["helping"],
                                          fields={"gibbs_description": "x"})
            entry_share(entry=entry, author=leader, mentor=mentor)
            comment_create(entry=entry, author=mentor, body="Reply")


def _count(client, url: str) -> int:
    client.get(url)  # the first request of a client also looks up the host and records the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 25])
def test_journal_list_queries_do_not_grow(alpha, count, django_assert_max_num_queries):
    leader, mentor = make_person(alpha, ["leader"]), make_person(alpha, ["mentor"])
    pair(alpha, leader, mentor)
    _write(alpha, leader, mentor, count)
    client = client_for(alpha, leader)
    client.post("/journal/", {"q": "entry", "behaviour": "helping"})
    client.get("/journal/")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get("/journal/").status_code == 200
    client.post("/journal/", {"clear": "1"})
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get("/journal/").status_code == 200


def test_mentoring_page_queries_do_not_grow(alpha, django_assert_max_num_queries):
    mentor = make_person(alpha, ["mentor"])
    counts = []
    for entries in (1, 12):
        leader = make_person(alpha, ["leader"])
        pair(alpha, leader, mentor)
        _write(alpha, leader, mentor, entries)
        client = client_for(alpha, mentor)
        counts.append(_count(client, "/mentoring/"))
        assert f"Entry {entries - 1}" in client.get("/mentoring/").content.decode()
        with django_assert_max_num_queries(MENTORING_QUERIES):
            client.get("/mentoring/")
    assert counts[0] == counts[1]


def test_entry_page_queries_do_not_grow_with_the_conversation(alpha):
    leader, mentor = make_person(alpha, ["leader"]), make_person(alpha, ["mentor"])
    pair(alpha, leader, mentor)
    with tenant_context(alpha):
        entry = entry_create(author=leader, title="T", template="free", fields={"body": "x"})
        entry_share(entry=entry, author=leader, mentor=mentor)
    author, at_mentor = client_for(alpha, leader), client_for(alpha, mentor)
    before = (_count(author, f"/journal/{entry.pk}/"), _count(at_mentor, f"/journal/{entry.pk}/"))
    with tenant_context(alpha):
        for n in range(10):
            comment_create(entry=entry, author=mentor if n % 2 else leader, body=f"Comment {n}",
                                    mentor=mentor)
    after = (_count(author, f"/journal/{entry.pk}/"), _count(at_mentor, f"/journal/{entry.pk}/"))
    assert before == after
