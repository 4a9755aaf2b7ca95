"""The team pulse: its statements, opening, answering, and every anonymity rule as the pulse uses it (k, close
before show, frozen results, no narrowing, comments only where k was reached)."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from feedback.models import PulseRound, Respondent
from feedback.pulse import services
from feedback.pulse.statements import CONVERSATION_STARTERS, SCALE, SCALE_LABELS, STATEMENTS
from tests.conftest import client_for
from tests.feedback.pulse_world import answer, close, open_pulse, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_seven_statements_one_per_dimension_three_reverse_scored():
    assert len(STATEMENTS) == 7 and len({s.key for s in STATEMENTS}) == 7
    assert {s.key for s in STATEMENTS if s.reverse} == {"mistakes", "difference", "help"}
    assert SCALE == 7 and set(SCALE_LABELS) == {1, 4, 7}
    assert all(1 <= len(CONVERSATION_STARTERS[s.key]) <= 2 for s in STATEMENTS)


def test_smoke_pages(world, alpha):
    pulse = open_pulse(alpha, world.team, world.lead)
    member = client_for(alpha, world.members[1])
    assert member.get(f"/feedback/pulse/{pulse.round_id}/").status_code == 200
    assert member.get(f"/feedback/pulse/team/{world.team.pk}/").status_code == 200
    answer(alpha, pulse, world.larch, comments={0: f"{world.marker} kind words"})
    close(alpha, pulse)
    page = member.get(f"/feedback/pulse/team/{world.team.pk}/")
    assert world.marker in page.content.decode()
    assert client_for(alpha, world.admin).get("/manage/feedback/").status_code == 200
    assert member.get("/").status_code == 200
