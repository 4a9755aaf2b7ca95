"""Reads about teams that carry a rule. Run inside the organisation's schema.

Other apps (the pulse in `feedback`) call these; the names are stable:

- `current_memberships(on)`: memberships in force on a day (started, not ended, the person still active).
- `teams_of(user)`: the live teams `user` is in now, each with `viewer_is_lead`.
- `teams_led_by(user)`: the live teams `user` leads now.
- `is_team_member(user, team)`, `is_team_lead(user, team)`: yes or no, now.
- `access_team_by_id(viewer, pk)`: the live team, for its current members and the organisation's admins; one 404
  for a missing and a forbidden team alike.
- `current_members(team)`: the people in the team now, each with `is_lead` and `member_since`, leads first.
- `team_member_history(team)`: every membership the team has had, newest first (`ended_only` for past members).
- `teams_list_for_admin(archived=False)`: teams with `member_count` and `lead_count`, in name order (never ranked).
- `live_teams()`: the teams that are not archived, in name order (what an admin can add people to).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from people.models import User
from people.selectors import active_members

from .models import Membership, Team


def live_teams() -> QuerySet[Team]:
    return Team.objects.filter(archived_at__isnull=True).order_by(Lower("name"), "id")


def current_memberships(on: date | None = None) -> QuerySet[Membership]:
    """Memberships in force on `on` (today): started, not yet ended (one ending today has ended), of a person who
    is still an active member. Of live and archived teams alike: filter on the team where it matters."""
    on = on or timezone.localdate()
    return Membership.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=on), starts_on__lte=on,
        user__is_active=True, user__is_staff=False,
    )


def teams_of(user: User, on: date | None = None) -> QuerySet[Team]:
    """The live teams `user` is in now, in name order; each has `viewer_is_lead` (whether `user` leads it)."""
    mine = current_memberships(on).filter(user=user)
    return live_teams().filter(Exists(mine.filter(team=OuterRef("pk")))).annotate(
        viewer_is_lead=Exists(mine.filter(team=OuterRef("pk"), is_lead=True))
    )


def teams_led_by(user: User, on: date | None = None) -> QuerySet[Team]:
    led = current_memberships(on).filter(user=user, is_lead=True)
    return live_teams().filter(Exists(led.filter(team=OuterRef("pk"))))


def is_in_a_team(user: User) -> bool:
    return teams_of(user).exists()


def is_team_member(user: User, team: Team, on: date | None = None) -> bool:
    return current_memberships(on).filter(user=user, team=team).exists()


def is_team_lead(user: User, team: Team, on: date | None = None) -> bool:
    return current_memberships(on).filter(user=user, team=team, is_lead=True).exists()


def access_team_by_id(viewer: User, pk: int) -> Team:
    """The live team `pk`, for its current members (leads included) and the organisation's admins. Anyone else, an
    archived team and a missing id all get the same Http404. Annotated with `viewer_is_lead`. One query."""
    if not getattr(viewer, "is_authenticated", False) or viewer.is_staff or not viewer.is_active:
        raise Http404
    mine = current_memberships().filter(user=viewer, team=OuterRef("pk"))
    team = (
        live_teams().filter(pk=pk)
        .annotate(viewer_is_member=Exists(mine), viewer_is_lead=Exists(mine.filter(is_lead=True)))
        .first()
    )
    if team is None or not (team.viewer_is_member or viewer.is_org_admin):
        raise Http404
    return team


def current_members(team: Team, on: date | None = None) -> QuerySet[User]:
    """The people in `team` now, leads first, then by name. Each has `is_lead`, `member_since` (the day the current
    membership began) and `membership_id`. One query, however many."""
    memberships = current_memberships(on).filter(team=team)
    return (
        active_members()
        .filter(team_memberships__in=memberships)
        .annotate(
            is_lead=F("team_memberships__is_lead"), member_since=F("team_memberships__starts_on"),
            membership_id=F("team_memberships__id"),
        )
        .order_by(F("is_lead").desc(), Lower("full_name"), "email", "username", "id")
    )


def team_member_history(team: Team, *, ended_only: bool = False, on: date | None = None) -> QuerySet[Membership]:
    """Every membership `team` has had (or only those that have ended), with the person, newest first."""
    on = on or timezone.localdate()
    history = Membership.objects.filter(team=team).select_related("user").order_by("-starts_on", "-id")
    if ended_only:
        history = history.filter(ends_on__lte=on)
    return history


def teams_list_for_admin(*, archived: bool = False, on: date | None = None) -> QuerySet[Team]:
    """Teams (live, or the archived ones) with `member_count` and `lead_count` now, in name order. Never ranked:
    nothing here sorts teams by a number."""
    on = on or timezone.localdate()
    in_force = (
        (Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gt=on))
        & Q(memberships__starts_on__lte=on, memberships__user__is_active=True, memberships__user__is_staff=False)
    )
    return (
        Team.objects.filter(archived_at__isnull=not archived)
        .annotate(
            member_count=Count("memberships", filter=in_force),
            lead_count=Count("memberships", filter=in_force & Q(memberships__is_lead=True)),
        )
        .order_by(Lower("name"), "id")
    )


def people_to_add(team: Team) -> QuerySet[User]:
    """Active people of the organisation who are not in `team` now, in name order (the add-member list)."""
    return active_members().exclude(
        pk__in=current_memberships().filter(team=team).values("user_id")
    ).order_by(Lower("full_name"), "email", "username")


