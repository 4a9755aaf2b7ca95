"""A supervision scenario in organisation alpha (tests/supervision/test_sessions*.py, test_supervision_privacy.py).

Sue is supervised by Sid now; Fay supervised her until yesterday. Oz supervises Tom (another supervisor). Tia is
in a team with Sue; Ada is an admin; Mo mentors Sue; an operator; someone at beta. Sue and Sid had a session last
week (a record, an agenda item, an action and a shared check-in, each with the marker) and have one booked next
week (Sue's check-in there is not shared: it carries the private marker). Sue and Fay had one a month ago (the
marker in its record)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from people.models import MentorPairing, User
from people.services import user_create
from supervision.models import Relationship, Session
from supervision.services import sessions as services
from teams import services as team_services
from tests.conftest import PASSWORD, make_person


@dataclass
class World:
    supervisee: User
    supervisor: User
    former_supervisor: User
    other_supervisor: User
    team_member: User
    admin: User
    mentor: User
    operator: User
    beta_user: User
    relationship: Relationship
    old_relationship: Relationship
    past: Session
    upcoming: Session
    old: Session
    marker: str
    private_marker: str


def book(relationship: Relationship, by: User, days: float, place: str = "Room 2") -> Session:
    return services.session_schedule(
        relationship=relationship, by=by, starts_at=timezone.now() + timedelta(days=days), place=place,
    )


def build_world(alpha, beta) -> World:
    marker = f"MARK-{uuid.uuid4().hex[:10]}"
    private_marker = f"PRIV-{uuid.uuid4().hex[:10]}"
    people = {
        "supervisee": make_person(alpha, ["leader"], name="Sue Supervisee"),
        "supervisor": make_person(alpha, ["leader"], name="Sid Supervisor"),
        "former_supervisor": make_person(alpha, ["leader"], name="Fay Former"),
        "other_supervisor": make_person(alpha, ["leader"], name="Oz Other"),
        "team_member": make_person(alpha, ["leader"], name="Tia Team"),
        "admin": make_person(alpha, ["admin"], name="Ada Admin"),
        "mentor": make_person(alpha, ["mentor"], name="Mo Mentor"),
    }
    tom = make_person(alpha, ["leader"], name="Tom Other")
    beta_user = make_person(beta, ["admin", "leader"], name="Bea Beta")
    with schema_context("public"):
        operator = User.objects.filter(email="operator@example.org").first() or user_create(
            email="operator@example.org", full_name="Olu Operator", roles=[], password=PASSWORD, is_staff=True,
            verified=True,
        )
    with tenant_context(alpha):
        today = timezone.localdate()
        sue, sid, fay = people["supervisee"], people["supervisor"], people["former_supervisor"]
        old_relationship = services.relationship_create(
            supervisor=fay, supervisee=sue, starts_on=today - timedelta(days=90),
        )
        old = book(old_relationship, fay, -30)
        services.record_save(session=old, by=fay, text=f"Old record {marker}", based_on=0)
        relationship = services.relationship_create(
            supervisor=sid, supervisee=sue, starts_on=today - timedelta(days=1), end_current=True,
        )
        Relationship.objects.filter(pk=relationship.pk).update(starts_on=today - timedelta(days=20))
        relationship.refresh_from_db()
        services.relationship_create(supervisor=people["other_supervisor"], supervisee=tom)
        past = book(relationship, sid, -7)
        services.checkin_save(session=past, by=sue, text=f"Tired {marker}", shared=True)
        services.agenda_add(session=past, by=sue, text=f"Agenda {marker}")
        services.record_save(session=past, by=sid, text=f"We talked {marker}", based_on=0)
        services.action_add(session=past, by=sid, text=f"Action {marker}", owner="supervisee")
        upcoming = book(relationship, sue, 7)
        services.checkin_save(session=upcoming, by=sue, text=f"Private {private_marker}", shared=False)
        team = team_services.team_create(name=f"Team {uuid.uuid4().hex[:6]}", description="")
        team_services.member_add(team=team, user=sue)
        team_services.member_add(team=team, user=people["team_member"])
        MentorPairing.objects.create(leader=sue, mentor=people["mentor"])
    return World(
        **people, operator=operator, beta_user=beta_user, relationship=relationship,
        old_relationship=old_relationship, past=past, upcoming=upcoming, old=old, marker=marker,
        private_marker=private_marker,
    )
