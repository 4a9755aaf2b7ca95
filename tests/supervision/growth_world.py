"""A growth scenario in organisation alpha (tests/supervision/test_growth*.py).

Sam is supervised by Sid now; Fay supervised Sam until Sid began. Oz supervises Tom (another supervisor). Sam and
Tom are in Larch House, which Lena leads. Ada is an admin in no team; Mo mentors Sam; an operator; someone at beta.
Markers: in Sam's own-words strengths (NOT shown to the team), in a hope, in a stretch Sid offered Sam (own
words), and in one Lena offered Sam (the lead's marker). Sam's feeling about leading is not shown to Sid."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from people.models import MentorPairing, User
from people.services import user_create
from supervision.models import Relationship, StretchOpportunity
from supervision.services import growth
from supervision.services import sessions as supervision
from teams.models import Team
from teams.services import member_add, team_create
from teams.strength_services import strengths_save
from tests.conftest import PASSWORD, make_person

VIEWERS = ["person", "supervisor", "former_supervisor", "other_supervisor", "team_member", "team_lead", "admin",
           "mentor", "operator", "beta_user"]


@dataclass
class World:
    person: User
    supervisor: User
    former_supervisor: User
    other_supervisor: User
    team_member: User
    team_lead: User
    admin: User
    mentor: User
    operator: User
    beta_user: User
    team: Team
    relationship: Relationship
    stretch: StretchOpportunity
    lead_stretch: StretchOpportunity
    strengths_marker: str
    hope_marker: str
    stretch_marker: str
    lead_marker: str

    @property
    def markers(self) -> list[str]:
        return [self.strengths_marker, self.hope_marker, self.stretch_marker, self.lead_marker]


def build_world(alpha, beta) -> World:
    def mark(what: str) -> str:
        return f"{what}{uuid.uuid4().hex[:10]}"

    people = {
        "person": make_person(alpha, ["leader"], name="Sam Person"),
        "supervisor": make_person(alpha, ["leader"], name="Sid Supervisor"),
        "former_supervisor": make_person(alpha, ["leader"], name="Fay Former"),
        "other_supervisor": make_person(alpha, ["leader"], name="Oz Other"),
        "team_member": make_person(alpha, ["leader"], name="Tom Team"),
        "team_lead": make_person(alpha, ["leader"], name="Lena Lead"),
        "admin": make_person(alpha, ["admin", "leader"], name="Ada Admin"),
        "mentor": make_person(alpha, ["mentor"], name="Mo Mentor"),
    }
    beta_user = make_person(beta, ["admin", "leader", "mentor"], name="Bea Beta")
    with schema_context("public"):
        operator = User.objects.filter(email="growth-operator@example.org").first() or user_create(
            email="growth-operator@example.org", full_name="Olu Operator", roles=[], password=PASSWORD,
            is_staff=True, verified=True,
        )
    markers = {"strengths": mark("STRENGTH"), "hope": mark("HOPE"), "stretch": mark("STRETCH"),
               "lead": mark("LEADSTRETCH")}
    with tenant_context(alpha):
        today = timezone.localdate()
        sam = people["person"]
        supervision.relationship_create(supervisor=people["former_supervisor"], supervisee=sam,
                                        starts_on=today - timedelta(days=90))
        relationship = supervision.relationship_create(
            supervisor=people["supervisor"], supervisee=sam, starts_on=today - timedelta(days=1), end_current=True,
        )
        supervision.relationship_create(supervisor=people["other_supervisor"], supervisee=people["team_member"])
        MentorPairing.objects.create(leader=sam, mentor=people["mentor"], starts_on=today - timedelta(days=5))
        team = team_create(name="Larch House")
        member_add(team=team, user=people["team_lead"], is_lead=True)
        member_add(team=team, user=sam)
        member_add(team=team, user=people["team_member"])
        strengths_save(user=sam, picks=["ideas", "calm"], own_words=f"Good at {markers['strengths']}",
                       shown_to_team=False)
        growth.growth_profile_save(person=sam, hopes=f"Lead the garden project {markers['hope']}",
                                   growth_edges="Speaking up in meetings")
        growth.leading_feeling_set(person=sam, feeling="curious", shown_to_supervisor=False)
        stretch = growth.stretch_offer(person=sam, by=people["supervisor"], kind="own",
                                       words=f"Run the {markers['stretch']} audit")
        lead_stretch = growth.stretch_offer(person=sam, by=people["team_lead"], kind="own",
                                            words=f"Chair the {markers['lead']} meeting")
    return World(
        **people, operator=operator, beta_user=beta_user, team=team, relationship=relationship, stretch=stretch,
        lead_stretch=lead_stretch, strengths_marker=markers["strengths"], hope_marker=markers["hope"],
        stretch_marker=markers["stretch"], lead_marker=markers["lead"],
    )
