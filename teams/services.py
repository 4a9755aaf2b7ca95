"""Writes on teams. Run inside the organisation's schema.

A membership is never rewritten once a day has passed on it: ending one sets `ends_on`, and a change of part (lead
or member) ends the current membership and starts the next, so "who was in the team, as what, when" stays true. A
membership that began today is still a fresh mistake to put right: changing its part flips it in place.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import User
from people.selectors import active_members

from .models import Membership, Team

NAME_MAX = Team._meta.get_field("name").max_length
DESCRIPTION_MAX = Team._meta.get_field("description").max_length


class TeamError(Exception):
    """A request that breaks a rule of teams; the message is shown to the person as it is."""


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise TeamError("Give the team a name, like “Larch House, first floor”.")
    if len(name) > NAME_MAX:
        raise TeamError(f"Keep the name to {NAME_MAX} characters or fewer.")
    return name


def _clean_description(description: str) -> str:
    description = " ".join(description.split())
    if len(description) > DESCRIPTION_MAX:
        raise TeamError(f"Keep the description to {DESCRIPTION_MAX} characters or fewer.")
    return description


def _name_taken_message(name: str) -> str:
    return f"There is already a team called “{name}”. Choose another name, or archive the other team first."


def _name_check(name: str, *, exclude: Team | None = None) -> None:
    """Two live teams never share a name, whatever its capitals (the database says so too: team_live_name_unique)."""
    taken = Team.objects.filter(archived_at__isnull=True, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise TeamError(_name_taken_message(name))


def _save(team: Team, *, update_fields: list[str] | None = None) -> Team:
    try:
        with transaction.atomic():
            team.save(update_fields=update_fields)
    except IntegrityError as error:  # another admin took the name a moment ago
        raise TeamError(_name_taken_message(team.name)) from error
    return team


@transaction.atomic
def team_create(*, name: str, description: str = "") -> Team:
    name = _clean_name(name)
    team = Team(name=name, description=_clean_description(description))
    _name_check(name)
    return _save(team)


@transaction.atomic
def team_rename(*, team: Team, name: str, description: str) -> Team:
    """Change a team's name and its line of description."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.name = _clean_name(name)
    team.description = _clean_description(description)
    if team.archived_at is None:
        _name_check(team.name, exclude=team)
    return _save(team, update_fields=["name", "description", "updated_at"])


@transaction.atomic
def team_archive(*, team: Team) -> Team:
    """Put a team away: nobody sees it on their pages any more. Its memberships are kept as they are, so restoring
    it brings it back as it was; its name is free for a new team."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.archived_at is None:
        team.archived_at = timezone.now()
        team.save(update_fields=["archived_at", "updated_at"])
    return team


@transaction.atomic
def team_restore(*, team: Team) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.archived_at is None:
        return team
    if Team.objects.filter(archived_at__isnull=True, name__iexact=team.name).exists():
        raise TeamError(
            f"Another team is called “{team.name}” now. Rename one of them before bringing this one back."
        )
    team.archived_at = None
    return _save(team, update_fields=["archived_at", "updated_at"])


# --- Members


@transaction.atomic
def member_add(*, team: Team, user: User, is_lead: bool = False, on: date | None = None) -> Membership:
    """`user` joins `team` from `on` (today), as a lead or a member."""
    on = on or timezone.localdate()
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.archived_at is not None:
        raise TeamError(f"{team} is archived. Bring it back before adding people to it.")
    if not active_members().filter(pk=user.pk).exists():
        raise TeamError(f"{user} is not an active member of your organisation.")
    if Membership.objects.filter(team=team, user=user, ends_on__isnull=True).exists():
        raise TeamError(f"{user} is already in {team}.")
    try:
        with transaction.atomic():
            return Membership.objects.create(team=team, user=user, is_lead=is_lead, starts_on=on)
    except IntegrityError as error:  # the same person added a moment ago
        raise TeamError(f"{user} is already in {team}.") from error


@transaction.atomic
def member_end(*, membership: Membership, on: date | None = None) -> Membership:
    """`membership` ends on `on` (today): from that day the person is a past member. The row stays."""
    on = on or timezone.localdate()
    membership = Membership.objects.select_for_update().select_related("team", "user").get(pk=membership.pk)
    if membership.ends_on is not None and membership.ends_on <= on:
        raise TeamError(f"{membership.user} has already left {membership.team}.")
    membership.ends_on = max(on, membership.starts_on)
    membership.save(update_fields=["ends_on"])
    return membership


@transaction.atomic
def lead_set(*, membership: Membership, is_lead: bool, on: date | None = None) -> Membership:
    """Make a member a lead (or a lead a member) from `on` (today). Returns the membership now in force.

    The current membership ends and a new one starts with the new part, so history says who led the team when. A
    membership that began that same day is flipped in place instead: nothing has happened under it yet.
    """
    on = on or timezone.localdate()
    membership = Membership.objects.select_for_update().select_related("team", "user").get(pk=membership.pk)
    if not membership.is_current(on) or membership.ends_on is not None:
        raise TeamError(f"{membership.user} is no longer in {membership.team}.")
    if membership.team.archived_at is not None:
        raise TeamError(f"{membership.team} is archived. Bring it back before changing who leads it.")
    if membership.is_lead == is_lead:
        return membership
    if membership.starts_on >= on:
        membership.is_lead = is_lead
        membership.save(update_fields=["is_lead"])
        return membership
    membership.ends_on = on
    membership.save(update_fields=["ends_on"])
    return Membership.objects.create(
        team=membership.team, user=membership.user, is_lead=is_lead, starts_on=on
    )
