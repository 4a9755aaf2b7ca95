"""Reads of a team's recurring problems, with the one rule of who sees them.

A team's list is the team's own: its current members (leads included) read and write it; the organisation's admins
read it, as they can read the team's page; anyone else (a mentor, a member of another team, someone who has left,
an operator, another organisation) gets the same 404 as for a missing team or problem. The team part of that rule
is `teams.selectors.access_team_by_id`'s, not repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from people.models import User
from teams.models import Team
from teams.selectors import access_team_by_id, current_members

from .models import ProblemStatus, RecurringProblem


def access_team_problems(viewer: User, team_pk: int) -> Team:
    """The team whose list `viewer` may read (members and admins), with `viewer_may_edit`. One query."""
    team = access_team_by_id(viewer, team_pk)
    team.viewer_may_edit = bool(team.viewer_is_member)
    return team


def access_problem_by_id(viewer: User, team_pk: int, pk: int, *, to_edit: bool = False) -> RecurringProblem:
    """A problem of a team `viewer` may read (and, `to_edit`, change: members only); one 404 for the rest."""
    team = access_team_problems(viewer, team_pk)
    if to_edit and not team.viewer_may_edit:
        raise Http404
    problem = (
        RecurringProblem.objects.filter(team=team, pk=pk).select_related("owner", "updated_by").first()
    )
    if problem is None:
        raise Http404
    problem.team = team
    return problem


def problems_of(team: Team) -> tuple[list[RecurringProblem], list[RecurringProblem]]:
    """(open, settled): the open ones by the day to look again (soonest first, undated last), the settled ones by
    when they were last changed. One query, however many."""
    rows = list(
        RecurringProblem.objects.filter(team=team).select_related("owner", "updated_by").order_by("-updated_at", "-id")
    )
    open_ = sorted((p for p in rows if p.is_open), key=lambda p: (p.look_again_on is None, p.look_again_on or date.min))
    return open_, [p for p in rows if not p.is_open]


@dataclass(frozen=True)
class ProblemsSummary:
    open_count: int
    trying_count: int
    settled_count: int
    next_look_again: date | None
    due_count: int  # open problems whose day to look again has come


def problems_summary(team: Team, today: date | None = None) -> ProblemsSummary:
    """Counts for the team page's section. One query."""
    today = today or timezone.localdate()
    open_ = ~Q(status=ProblemStatus.SETTLED)
    row = RecurringProblem.objects.filter(team=team).aggregate(
        open_count=Count("id", filter=open_),
        trying_count=Count("id", filter=Q(status=ProblemStatus.TRYING)),
        settled_count=Count("id", filter=Q(status=ProblemStatus.SETTLED)),
        next_look_again=Min("look_again_on", filter=open_ & Q(look_again_on__gte=today)),
        due_count=Count("id", filter=open_ & Q(look_again_on__lte=today)),
    )
    return ProblemsSummary(**row)


def owner_choices(team: Team, current: User | None = None) -> QuerySet[User]:
    """Who can be named as owner: the team's people now, and whoever already is (so editing never drops them)."""
    members = current_members(team)
    if current is None:
        return members
    return User.objects.filter(Q(pk__in=members.values("pk")) | Q(pk=current.pk)).order_by("full_name", "id")
