"""An action learning set scenario in organisation alpha (imported by tests/learningsets/test_sets*.py and
test_set_privacy.py).

Larch House set: Lena (a team lead, who starts the set), Priya the facilitator (facilitates only), and members
Sam, Ellis, Cass and Dev who have accepted; Fin is invited and has not accepted; Gus was a member and left. Another
set (Night set) with its own four members (Olly among them). Beside them: an admin in no set, a mentor in no set,
someone at beta and a platform operator. Two meetings: one held yesterday (Sam presented: a marker in the brief,
a question and the action) and one in four weeks (Ellis presents)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from learningsets import services
from learningsets.models import LearningSet, Meeting, SetMember
from people.models import User
from people.services import user_create
from teams.services import member_add, team_create
from tests.conftest import PASSWORD, make_person


@dataclass
class SetsWorld:
    marker: str
    learning_set: LearningSet
    other_set: LearningSet
    held: Meeting
    upcoming: Meeting
    lead: User
    facilitator: User
    members: list[User]  # Sam, Ellis, Cass, Dev: accepted
    invited: User  # Fin: invited, not accepted
    former: User  # Gus: left
    other_member: User  # Olly, in the Night set
    admin: User
    mentor: User
    beta_user: User
    operator: User
    extra: dict = field(default_factory=dict)

    @property
    def sam(self) -> User:
        return self.members[0]

    @property
    def ellis(self) -> User:
        return self.members[1]


def place_of(user: User, learning_set: LearningSet) -> SetMember:
    return SetMember.objects.get(user=user, learning_set=learning_set, ended_at__isnull=True)


def accept(user: User, learning_set: LearningSet) -> None:
    services.place_accept(place=place_of(user, learning_set), user=user)


def build_world(alpha, beta, *, with_meetings: bool = True) -> SetsWorld:
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    lead = make_person(alpha, ["leader"], name="Lena Lead")
    facilitator = make_person(alpha, ["leader", "mentor"], name="Priya Facilitator")
    members = [make_person(alpha, ["leader"], name=name) for name in ("Sam Shift", "Ellis Evening", "Cass Carer",
                                                                       "Dev Dayshift")]
    invited = make_person(alpha, ["leader"], name="Fin Floor")
    former = make_person(alpha, ["leader"], name="Gus Gone")
    others = [make_person(alpha, ["leader"], name=name) for name in ("Olly Other", "Nia Night", "Kit Kitchen",
                                                                      "Ravi Rota")]
    admin = make_person(alpha, ["admin", "leader"], name="Ada Admin")
    mentor = make_person(alpha, ["mentor"], name="Mira Mentor")
    beta_user = make_person(beta, ["admin", "leader", "mentor"], name="Bea Beta")
    with schema_context("public"):
        operator = user_create(
            email=f"operator-{uuid.uuid4().hex[:6]}@heartwood.test", full_name="Opal Operator", roles=[],
            password=PASSWORD, verified=True, is_staff=True, is_superuser=True,
        )
    with tenant_context(alpha):
        team = team_create(name="Larch House")
        member_add(team=team, user=lead, is_lead=True)
        learning_set = services.set_create(
            by=lead, name="Larch House set", facilitator=facilitator, members=[*members, invited, former],
            team=team, rhythm_weeks=None, meeting_minutes=120, place="The quiet room",
        )
        for user in [facilitator, *members, former]:
            accept(user, learning_set)
        other_set = services.set_create(
            by=admin, name="Night set", facilitator=others[0], members=others, rhythm_weeks=5,
        )
        for user in others:
            accept(user, other_set)
        held = upcoming = None
        if with_meetings:
            now = timezone.now()
            held = services.meeting_book(
                learning_set=learning_set, by=facilitator, starts_at=now - timedelta(hours=3), presenter=members[0],
                allow_past=True,
            )
            Meeting.objects.filter(pk=held.pk).update(
                brief=f"Handovers keep going wrong {marker}-brief", brief_posted_at=now - timedelta(days=2),
                action=f"Ask the night team what they need {marker}-action",
                action_recorded_at=now - timedelta(hours=1),
            )
            held.refresh_from_db()
            from learningsets.models import Question

            Question.objects.create(meeting=held, asked_by=members[1], text=f"What happens at 7am? {marker}-question")
            upcoming = services.meeting_book(
                learning_set=learning_set, by=facilitator, starts_at=now + timedelta(weeks=4), presenter=members[1],
            )
            services.attendance_record(meeting=held, by=facilitator, present=[members[0].pk, members[1].pk])
        services.place_leave(place=place_of(former, learning_set), user=former)
        ellis_place = place_of(members[1], learning_set).pk
    return SetsWorld(
        marker=marker, learning_set=learning_set, other_set=other_set, held=held, upcoming=upcoming, lead=lead,
        facilitator=facilitator, members=members, invited=invited, former=former, other_member=others[0],
        admin=admin, mentor=mentor, beta_user=beta_user, operator=operator,
        extra={"others": others, "team": team, "ellis_place": ellis_place},
    )
