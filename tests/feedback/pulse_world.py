"""A pulse scenario in organisation alpha (imported by tests/feedback/test_pulse*.py).

Larch House: a lead and five members (six people, k = 5). The night team: five people, one of whom (Cass) is in
Larch House too, so the two teams overlap. Beside them: an admin in no team, a mentor in no team, a past member
of Larch House, someone at beta and a platform operator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from feedback import engine
from feedback.models import PulseRound, Respondent
from feedback.pulse import services
from people.models import User
from people.services import user_create
from teams.models import Membership, Team
from teams.services import member_add, team_create
from tests.conftest import PASSWORD, make_person

SCORES = {
    "calm": [2, 6, 2, 6, 2, 6, 6],  # a safe-feeling answer (three reverse-scored statements low)
    "worried": [6, 3, 5, 3, 6, 4, 3],
}


@dataclass
class PulseWorld:
    marker: str
    team: Team
    night: Team
    lead: User
    members: list[User]  # the five Larch House members who are not its lead (members[0] is Cass, in both teams)
    night_members: list[User]
    admin: User
    mentor: User
    past_member: User
    beta_user: User
    operator: User
    extra: dict = field(default_factory=dict)

    @property
    def larch(self) -> list[User]:
        return [self.lead, *self.members]


def add(organisation, team: Team, user: User, *, is_lead: bool = False) -> Membership:
    with tenant_context(organisation):
        return member_add(team=team, user=user, is_lead=is_lead)


def build_world(alpha, beta) -> PulseWorld:
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    lead = make_person(alpha, ["leader"], name="Lena Lead")
    names = ["Cass Carer", "Dev Dayshift", "Em Evening", "Fin Floor", "Gus Garden"]
    members = [make_person(alpha, ["leader"], name=name) for name in names]
    night_only = [make_person(alpha, ["leader"], name=name) for name in
                  ["Nia Night", "Oz Owl", "Pat Pillow", "Quin Quiet"]]
    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    mentor = make_person(alpha, ["mentor"], name="Mira Mentor")
    past = make_person(alpha, ["leader"], name="Pam Past")
    beta_user = make_person(beta, ["admin", "leader", "mentor"], name="Bea Beta")
    with schema_context("public"):
        operator = user_create(
            email=f"operator-{uuid.uuid4().hex[:6]}@heartwood.test", full_name="Opal Operator", roles=[],
            password=PASSWORD, verified=True, is_staff=True, is_superuser=True,
        )
    with tenant_context(alpha):
        team = team_create(name="Larch House", description="First floor")
        night = team_create(name="Night team", description="Every night")
    add(alpha, team, lead, is_lead=True)
    for person in members:
        add(alpha, team, person)
    for person in [members[0], *night_only]:
        add(alpha, night, person)
    with tenant_context(alpha):
        Membership.objects.create(team=team, user=past, starts_on=timezone.localdate() - timedelta(days=90),
                                  ends_on=timezone.localdate() - timedelta(days=10))
    return PulseWorld(
        marker=marker, team=team, night=night, lead=lead, members=members, night_members=[members[0], *night_only],
        admin=admin, mentor=mentor, past_member=past, beta_user=beta_user, operator=operator,
    )


@pytest.fixture(name="world")
def pulse_world(db, alpha, beta) -> PulseWorld:
    """Import `pulse_world` into a test module to use the fixture `world`."""
    return build_world(alpha, beta)


def open_pulse(organisation, team: Team, by: User | None, days: int = 7) -> PulseRound:
    with tenant_context(organisation):
        return services.pulse_open(team=team, by=by, days_open=days)


def answer(organisation, pulse: PulseRound, people: list[User], *, scores: list[int] | None = None,
           comments: dict[int, str] | None = None) -> None:
    """Each of `people` answers (the i-th with comments[i], if any)."""
    comments = comments or {}
    with tenant_context(organisation):
        for index, person in enumerate(people):
            respondent = Respondent.objects.get(round=pulse.round, user=person)
            services.pulse_answer(respondent=respondent, scores=scores or SCORES["calm" if index % 2 else "worried"],
                                  comment=comments.get(index, ""))


def close(organisation, pulse: PulseRound) -> PulseRound:
    with tenant_context(organisation):
        engine.round_close(round_=pulse.round)
        pulse.round.refresh_from_db()
    return pulse
