"""Query counts of the set pages hold as meetings, questions and people grow: measured with two meetings, then with
twelve more (each with questions, an action and attendance), for the set page, a meeting page (as a member and as
the facilitator, who also sees attendance), /sets/ and the admin's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from learningsets.models import Attendance, Meeting, Question
from tests.conftest import client_for
from tests.learningsets.sets_world import build_world

pytestmark = pytest.mark.django_db

# The budget of each page, as measured (about 8 of them for any signed-in request: session, user, allauth's
# bookkeeping, the navigation's counts), then the page's own: the set, its people, meetings and the rota; a
# meeting's previous meeting, questions, the presenters to swap with, your reflections (and the facilitator's
# attendance list).
BUDGET = {
    "set page": 13,
    "meeting, member": 14,
    "meeting, facilitator": 16,
    "sets": 13,
    "manage list": 11,
    "manage set": 13,
}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    connection.set_schema_to_public()
    return len(queries)


def _grow(world, alpha, n: int = 12) -> None:
    with tenant_context(alpha):
        now = timezone.now()
        for i in range(n):
            meeting = Meeting.objects.create(
                learning_set=world.learning_set, starts_at=now - timedelta(weeks=5 * (i + 2)),
                presenter=world.members[i % 4], brief=f"Brief {i}", brief_posted_at=now, action=f"Action {i}",
                action_recorded_at=now, report="Went well", reported_at=now,
            )
            Question.objects.bulk_create([Question(meeting=meeting, asked_by=world.members[(i + 1) % 4],
                                                   text=f"Question {i}.{q}") for q in range(5)])
            Attendance.objects.bulk_create([Attendance(meeting=meeting, user=person) for person in world.members])
            Question.objects.bulk_create([Question(meeting=world.held, asked_by=world.ellis, text=f"More {i}")])


def test_set_pages_cost_the_same_whatever_their_history(alpha, beta):
    world = build_world(alpha, beta)
    pk = world.learning_set.pk
    pages = {
        "set page": (world.sam, f"/sets/{pk}/"),
        "meeting, member": (world.ellis, f"/sets/{pk}/meetings/{world.held.pk}/"),
        "meeting, facilitator": (world.facilitator, f"/sets/{pk}/meetings/{world.held.pk}/"),
        "sets": (world.sam, "/sets/"),
        "manage list": (world.admin, "/manage/sets/"),
        "manage set": (world.admin, f"/manage/sets/{pk}/"),
    }
    clients = {name: client_for(alpha, user) for name, (user, _) in pages.items()}
    for name, (_, url) in pages.items():
        clients[name].get(url)  # sign-in bookkeeping first
    before = {name: _count(clients[name], url) for name, (_, url) in pages.items()}
    _grow(world, alpha)
    for name, (_, url) in pages.items():
        clients[name].get(url)  # the same warm connection as before
    after = {name: _count(clients[name], url) for name, (_, url) in pages.items()}
    assert after == before
    for name, count in after.items():
        assert count <= BUDGET[name], (name, count, after)
    print("learning set page queries:", after)  # the figure for the report
