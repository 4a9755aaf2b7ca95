"""A team scenario in organisation alpha: a team with a lead and members, another team with its own member, an
admin, a mentor in no team; and a person at beta."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django_tenants.utils import schema_context, tenant_context

from people.models import User
from people.services import user_create
from teams.models import Team
from teams.services import member_add, team_create
from tests.conftest import PASSWORD, make_person


@dataclass
class Teams:
    marker: str
    team: Team
    other_team: Team
    lead: User
    member: User
    other_member: User
    admin: User
    mentor: User
    beta_user: User
    operator: User


def add(organisation, team: Team, user: User, *, is_lead: bool = False):
    with tenant_context(organisation):
        return member_add(team=team, user=user, is_lead=is_lead)


@pytest.fixture
def teams(db, alpha, beta) -> Teams:
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    lead = make_person(alpha, ["leader"], name="Lena Lead")
    member = make_person(alpha, ["leader"], name="Mo Member")
    other_member = make_person(alpha, ["leader"], name="Olly Other")
    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    mentor = make_person(alpha, ["mentor"], name="Mira Mentor")
    beta_user = make_person(beta, ["admin", "leader", "mentor"], name="Bea Beta")
    with schema_context("public"):
        operator = user_create(
            email=f"operator-{uuid.uuid4().hex[:6]}@heartwood.test", full_name="Opal Operator", roles=[],
            password=PASSWORD, verified=True, is_staff=True, is_superuser=True,
        )
    with tenant_context(alpha):
        team = team_create(name="Larch House", description=f"First floor {marker}")
        other_team = team_create(name="Night team", description="Every night, every house")
    add(alpha, team, lead, is_lead=True)
    add(alpha, team, member)
    add(alpha, other_team, other_member)
    return Teams(
        marker=marker, team=team, other_team=other_team, lead=lead, member=member, other_member=other_member,
        admin=admin, mentor=mentor, beta_user=beta_user, operator=operator,
    )
