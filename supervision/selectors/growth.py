"""Reads of growth (the growth profile, suggestions to it, how a person feels about leading, stretch opportunities),
each with its rule.

- Everything here is about one person, and that person sees all of it, always: every suggestion (waiting, added or
  declined), every opportunity offered to them, their feeling. No private notes, no talent lists.
- Their current supervisor reads their growth profile (strengths from `teams`, hopes, growth edges), the
  suggestions they made themselves, and every opportunity offered to the person; the feeling only when the person
  shows it. A supervisor whose relationship ended loses all of it on the next request.
- A team lead sees the opportunities they offered to people in a team they lead now; nothing else of anyone's.
- Admins see counts per team (`stretch_counts_by_team`), never a person.
Missing and forbidden both answer 404. Each page's reads cost a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from people.models import User
from people.selectors import active_members
from teams.models import StrengthProfile, Team
from teams.selectors import current_memberships, teams_led_by
from teams.strength_selectors import strengths_of

from ..models import GrowthProfile, GrowthSuggestion, StretchOpportunity
from .sessions import current_supervisees_of, current_supervisors_of, is_current_supervisor


def _real(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_staff)


# --- Who is whose supervisor: the one place growth asks (supervision.selectors.sessions holds the rule).


def supervisees_of(viewer: User) -> QuerySet[User]:
    return current_supervisees_of(viewer)


def supervisors_of(person: User) -> QuerySet[User]:
    return current_supervisors_of(person)


def is_supervisor_of(viewer: User, person: User) -> bool:
    return is_current_supervisor(supervisor=viewer, supervisee=person)


# --- The growth profile


def growth_profile_of(person: User) -> GrowthProfile:
    """`person`'s profile, or an empty unsaved one (GET never writes)."""
    return GrowthProfile.objects.filter(person=person).first() or GrowthProfile(person=person)


def access_supervisee_by_id(*, viewer: User, pk: int) -> User:
    """The person `pk`, for their current supervisor; one 404 for anyone else and for a missing id."""
    if not _real(viewer):
        raise Http404
    person = supervisees_of(viewer).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@dataclass
class ProfileView:
    person: User
    profile: GrowthProfile
    strengths: StrengthProfile | None
    supervisors: list[User]
    suggestions: list[GrowthSuggestion] = field(default_factory=list)
    opportunities: list[StretchOpportunity] = field(default_factory=list)

    @property
    def waiting(self) -> list[GrowthSuggestion]:
        return [s for s in self.suggestions if s.status == GrowthSuggestion.Status.WAITING]

    @property
    def answered(self) -> list[GrowthSuggestion]:
        return [s for s in self.suggestions if s.status != GrowthSuggestion.Status.WAITING]


def profile_view(person: User, *, viewer: User) -> ProfileView:
    """What `viewer` sees of `person`'s growth: all of it when it is their own; their supervisor sees the profile,
    their own suggestions and the person's opportunities, and the feeling only if shown. Five queries."""
    own = viewer.pk == person.pk
    profile = growth_profile_of(person)
    if not own and not profile.feeling_shown_to_supervisor:
        profile.feeling = ""
    suggestions = GrowthSuggestion.objects.filter(person=person).select_related("suggested_by")
    if not own:
        suggestions = suggestions.filter(suggested_by=viewer)
    return ProfileView(
        person=person, profile=profile, strengths=strengths_of(person),
        supervisors=list(supervisors_of(person)),
        suggestions=list(suggestions.order_by("-created_at", "-id")),
        opportunities=list(opportunities_visible_to(viewer).filter(person=person)[:50]),
    )


def access_suggestion_for_person(*, person: User, pk: int) -> GrowthSuggestion:
    """A suggestion to `person` (only they answer it); one 404 for anyone else's and a missing one."""
    suggestion = GrowthSuggestion.objects.filter(person=person, pk=pk).first() if _real(person) else None
    if suggestion is None:
        raise Http404
    return suggestion


def suggestions_waiting_for(person: User) -> QuerySet[GrowthSuggestion]:
    return GrowthSuggestion.objects.filter(person=person, status=GrowthSuggestion.Status.WAITING)


# --- Stretch opportunities


def _led_members(viewer: User) -> QuerySet:
    """Ids of people in a team `viewer` leads now (the viewer too)."""
    return current_memberships().filter(team__in=teams_led_by(viewer)).values("user_id")


def opportunities_visible_to(viewer: User) -> QuerySet[StretchOpportunity]:
    """The person's own; their current supervisor's view of them; and a lead's own offers to people in a team they
    lead now. Newest first, with the people and team in the same query."""
    if not _real(viewer):
        return StretchOpportunity.objects.none()
    rule = (
        Q(person=viewer)
        | Q(person__in=supervisees_of(viewer).values("pk"))
        | Q(offered_by=viewer, person__in=_led_members(viewer))
    )
    return (
        StretchOpportunity.objects.filter(rule)
        .select_related("person", "offered_by", "team", "done_by")
        .order_by("-offered_at", "-id")
    )


def access_opportunity_by_id(*, viewer: User, pk: int) -> StretchOpportunity:
    opportunity = opportunities_visible_to(viewer).filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


def people_to_offer_to(viewer: User) -> QuerySet[User]:
    """Whom `viewer` may offer a stretch to: their current supervisees, and the people in a team they lead now.
    Never themselves. In name order."""
    if not _real(viewer):
        return User.objects.none()
    return (
        active_members()
        .filter(Q(pk__in=supervisees_of(viewer).values("pk")) | Q(pk__in=_led_members(viewer)))
        .exclude(pk=viewer.pk)
        .order_by(Lower("full_name"), "email", "username", "pk")
    )


def may_offer_to(viewer: User, person: User) -> bool:
    return people_to_offer_to(viewer).filter(pk=person.pk).exists()


def may_mark_done(viewer: User, opportunity: StretchOpportunity) -> bool:
    """The person, or whoever offered it (who could see it to get here)."""
    return opportunity.status == StretchOpportunity.Status.ACCEPTED and viewer.pk in (
        opportunity.person_id, opportunity.offered_by_id
    )


def team_for_offer(*, by: User, person: User) -> Team | None:
    """The team an offer counts under: one `by` leads that `person` is in now, else the person's first team now."""
    theirs = current_memberships().filter(user=person, team__archived_at__isnull=True)
    led = theirs.filter(team__in=teams_led_by(by)).select_related("team").order_by(Lower("team__name")).first()
    if led is not None:
        return led.team
    first = theirs.select_related("team").order_by(Lower("team__name")).first()
    return first.team if first is not None else None


@dataclass(frozen=True)
class TeamCounts:
    name: str
    offered: int
    taken: int
    done: int


def stretch_counts_by_team() -> list[TeamCounts]:
    """For admins: per team (by name, never ranked), how many stretch opportunities were offered, taken (accepted,
    done or not) and done; those offered outside any team in one row at the end. No person, ever. One query."""
    taken = Q(status__in=[StretchOpportunity.Status.ACCEPTED, StretchOpportunity.Status.DONE])
    rows = (
        StretchOpportunity.objects.values("team_id", "team__name")
        .annotate(offered=Count("pk"), taken=Count("pk", filter=taken),
                  done=Count("pk", filter=Q(status=StretchOpportunity.Status.DONE)))
        .order_by(Lower("team__name").asc(nulls_last=True), "team_id")
    )
    return [
        TeamCounts(name=row["team__name"] or "Not in a team", offered=row["offered"], taken=row["taken"],
                   done=row["done"])
        for row in rows
    ]
