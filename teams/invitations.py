"""Inviting someone into a team (people.invitation_extras, registered in `TeamsConfig.ready()`).

The invitation form and "add someone without an email address" offer a "Team" list of live teams; the CSV upload
takes an optional `team` column holding a team's name (any capitals). The invitation keeps the team's id; when the
person accepts (or, for someone without an email address, when they are added) they become a member of that team.
A team archived in between is left alone: joining the organisation never fails because of it.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from people.invitation_extras import InvitationExtra, InvitationExtraError
from people.models import User

from .selectors import is_team_member, live_teams
from .services import member_add

KEY = "team"


def team_field() -> forms.Field | None:
    choices = [(team.pk, team.name) for team in live_teams().only("pk", "name")]
    if not choices:
        return None  # no team yet: nothing to choose
    return forms.TypedChoiceField(
        label="Team", required=False, coerce=int, empty_value=None, choices=[("", "No team"), *choices],
        help_text="They'll be a member of this team. You can change it later on the Teams page.",
        error_messages={"invalid_choice": "Choose a team from the list, or no team."},
    )


def team_csv_reader() -> Callable[[str], int | None]:
    by_name = {name.lower(): pk for pk, name in live_teams().values_list("pk", "name")}

    def read(cell: str) -> int | None:
        name = " ".join(cell.split())
        if not name:
            return None
        pk = by_name.get(name.lower())
        if pk is None:
            raise InvitationExtraError(f"there is no team called “{name[:120]}” (check its name on the Teams page)")
        return pk

    return read


def team_apply(user: User, value: object) -> None:
    if not isinstance(value, int):
        return
    team = live_teams().filter(pk=value).first()
    if team is not None and not is_team_member(user, team):
        member_add(team=team, user=user)


EXTRA = InvitationExtra(
    key=KEY, field=team_field, apply=team_apply, csv_column="team", csv_reader=team_csv_reader,
    csv_hint="the name of one of your teams, as it is on the Teams page; they join that team when they accept",
)
