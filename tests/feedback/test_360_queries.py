"""The 360's main pages cost the same number of queries however many raters, answers and 360s there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from feedback.threesixty import services
from tests.conftest import client_for, make_person
from tests.feedback.threesixty_world import answer, ask, close, pair, self_checks

pytestmark = pytest.mark.django_db

RESULTS_QUERIES = 13
HUB_QUERIES = 12


def _count(client, url: str) -> int:
    client.get(url)  # the first request of a client also looks up the host and records the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _closed_360(alpha, leader, raters: int, mentor=None):
    people = [make_person(alpha, ["leader"]) for _ in range(raters)]
    three_sixty = ask(alpha, leader, people, [f"ext{n}.{leader.pk}@example.org" for n in range(raters)])
    for n, person in enumerate(people):
        answer(alpha, three_sixty, person, 1 + n % 5, f"Comment {n}")
    three_sixty = close(alpha, three_sixty)
    if mentor is not None:
        with tenant_context(alpha):
            services.three_sixty_share(three_sixty=three_sixty, leader=leader, mentor=mentor)
    return three_sixty


def test_results_pages_do_not_grow_with_raters_and_answers(alpha, django_assert_max_num_queries):
    mentor = make_person(alpha, ["mentor"])
    counts = []
    for raters in (3, 15):
        leader = make_person(alpha, ["leader"])
        pair(alpha, leader, mentor)
        self_checks(alpha, leader, 2)
        self_checks(alpha, leader, 3)  # a second, later round of self-checks: the latest counts
        three_sixty = _closed_360(alpha, leader, raters, mentor)
        at_leader, at_mentor = client_for(alpha, leader), client_for(alpha, mentor)
        base = f"/feedback/360/{three_sixty.pk}/"
        pages = [(at_leader, base), (at_leader, f"{base}summary/"), (at_mentor, f"{base}summary/")]
        counts.append([_count(client, url) for client, url in pages])
        assert f"Comment {raters - 1}" in at_leader.get(f"/feedback/360/{three_sixty.pk}/").content.decode()
        for client, url in pages:
            with django_assert_max_num_queries(RESULTS_QUERIES):
                client.get(url)
    assert counts[0] == counts[1]


def test_the_hub_does_not_grow_with_360s_asks_and_shares(alpha, django_assert_max_num_queries):
    leader, mentor = make_person(alpha, ["leader", "mentor"]), make_person(alpha, ["leader", "mentor"])
    pair(alpha, leader, mentor)
    counts = []
    for rounds in (1, 4):
        while True:
            from feedback.models import ThreeSixty

            with tenant_context(alpha):
                done = ThreeSixty.objects.filter(leader=leader).count()
            if done >= rounds:
                break
            _closed_360(alpha, leader, 3, mentor)
            # The mentor, asked by someone else, has an ask waiting too.
            other = make_person(alpha, ["leader"])
            ask(alpha, other, [mentor, *[make_person(alpha, ["leader"]) for _ in range(2)]])
        at_leader, at_mentor = client_for(alpha, leader), client_for(alpha, mentor)
        counts.append((_count(at_leader, "/feedback/360/"), _count(at_mentor, "/feedback/360/"),
                       _count(at_mentor, "/")))
        for client in (at_leader, at_mentor):
            with django_assert_max_num_queries(HUB_QUERIES):
                client.get("/feedback/360/")
    assert counts[0] == counts[1]
