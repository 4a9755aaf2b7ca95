"""The pulse's pages cost the same number of queries with 2 rounds as with 12: the team's results page, the team
page's pulse section, and the admins' /manage/feedback/."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from feedback.pulse.sections import pulse_team_section
from tests.conftest import client_for
from tests.feedback.pulse_world import answer, close, open_pulse, pulse_world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# Each page's own, beside the 7 of every signed-in request (session, user, allauth's bookkeeping).
RESULTS_PAGE = 15
MANAGE_PAGE = 13
SECTION = 4


def _rounds(alpha, world, count: int) -> None:
    for index in range(count):
        pulse = open_pulse(alpha, world.team, world.lead)
        answer(alpha, pulse, world.larch if index % 3 else world.larch[:4], comments={0: f"Comment {index}"})
        close(alpha, pulse)
        night = open_pulse(alpha, world.night, None)
        answer(alpha, night, world.night_members)
        close(alpha, night)


def _count(client, url: str) -> int:
    client.get(url)  # warm: the session and anything cached once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _section_count(alpha, world) -> int:
    with tenant_context(alpha), CaptureQueriesContext(connection) as queries:
        section = pulse_team_section(world.team, world.members[2])
    assert section is not None
    return len(queries)


def test_pulse_pages_cost_the_same_with_2_and_12_rounds(world, alpha):
    member, admin = client_for(alpha, world.members[2]), client_for(alpha, world.admin)
    results, manage = f"/feedback/pulse/team/{world.team.pk}/", "/manage/feedback/"
    _rounds(alpha, world, 2)
    few = {"results": _count(member, results), "manage": _count(admin, manage),
           "section": _section_count(alpha, world)}
    _rounds(alpha, world, 10)
    many = {"results": _count(member, results), "manage": _count(admin, manage),
            "section": _section_count(alpha, world)}
    assert few == many
    assert few["results"] <= RESULTS_PAGE and few["manage"] <= MANAGE_PAGE and few["section"] <= SECTION, few
    # The open round's progress costs nothing more.
    open_pulse(alpha, world.team, world.lead)
    assert _count(member, results) <= few["results"] + 1
