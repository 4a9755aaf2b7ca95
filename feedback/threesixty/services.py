"""Every write of the 360: asking, closing early, sharing the summary with a mentor.

The anonymity rules (k, close before show, once each, frozen results) are the engine's (`feedback.engine`); the
360 opens its round through it and never counts or shows anything itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from people.models import User
from people.selectors import active_members, is_current_mentor
from people.tokens import token_new

from .. import engine
from ..models import Instrument, Respondent, ThreeSixty, ThreeSixtyShare
from .statements import SCALE, statements_for_360

DAYS_OPEN_DEFAULT = 14
DAYS_OPEN_MIN, DAYS_OPEN_MAX = 3, 28
EMAILS_MAX = 30


class ThreeSixtyError(Exception):
    """Why a 360 cannot be asked for, shared or closed, in words for the leader."""


def _queue_asks(respondent_ids: list[int]) -> None:
    from .emails import ask_email_send

    for pk in respondent_ids:
        ask_email_send.delay(pk)


@transaction.atomic
def three_sixty_request(
    *, leader: User, users: Iterable[User], emails: Sequence[str], days_open: int = DAYS_OPEN_DEFAULT,
) -> ThreeSixty:
    """Open a 360 for `leader`: colleagues (`users`) are asked in the app and by email, people without an account
    (`emails`) by email with a single-use link that expires when the round closes."""
    if not leader.is_leader:
        raise ThreeSixtyError("Only leaders can ask for a 360.")
    if not DAYS_OPEN_MIN <= days_open <= DAYS_OPEN_MAX:
        raise ThreeSixtyError(f"Choose between {DAYS_OPEN_MIN} and {DAYS_OPEN_MAX} days.")
    if open_three_sixty_of(leader) is not None:
        raise ThreeSixtyError("You already have a 360 open. Close it, or wait until it closes, to ask again.")
    members = {u.pk: u for u in active_members().filter(pk__in=[u.pk for u in users]).exclude(pk=leader.pk)}
    addresses: dict[str, str] = {}
    for email in emails:
        email = email.strip()
        if email and email.lower() != (leader.email or "").lower():
            addresses.setdefault(email.lower(), email)
    if len(addresses) > EMAILS_MAX:
        raise ThreeSixtyError(f"You can ask up to {EMAILS_MAX} people by email.")
    # An address that belongs to a colleague asks them in the app too, as a colleague.
    for member in active_members().exclude(pk=leader.pk).filter(email__in=list(addresses)):
        members[member.pk] = member
        addresses.pop(member.email.lower(), None)
    k = engine.k_for(Instrument.THREE_SIXTY)
    if len(members) + len(addresses) < k:
        raise ThreeSixtyError(
            f"Ask at least {k} people. Nothing shows until {k} have answered, so that nobody's answers can be "
            "picked out."
        )
    statements = statements_for_360()
    if not statements:
        raise ThreeSixtyError("The four behaviour modules have no statements to ask about yet.")
    now = timezone.now()
    closes_at = now + timedelta(days=days_open)
    round_ = engine.round_open(
        instrument=Instrument.THREE_SIXTY, statements=statements, scale=SCALE, closes_at=closes_at,
        users=members.values(), opened_at=now,
    )
    for email in addresses.values():
        # The link itself is made when the email goes (emails.py): only its hash is ever kept.
        engine.respondent_add_by_email(round_=round_, email=email, token=token_new()[0], expires_at=closes_at)
    three_sixty = ThreeSixty.objects.create(round=round_, leader=leader)
    ids = list(Respondent.objects.filter(round=round_).values_list("pk", flat=True))
    transaction.on_commit(lambda: _queue_asks(ids))
    return three_sixty


def open_three_sixty_of(leader: User) -> ThreeSixty | None:
    return ThreeSixty.objects.filter(leader=leader, round__closed_at__isnull=True).first()


def three_sixty_close(*, three_sixty: ThreeSixty, leader: User) -> ThreeSixty:
    """Close early: the answers so far are counted (and shown only if there are at least k)."""
    if three_sixty.leader_id != leader.pk:
        raise ThreeSixtyError("Only the person who asked can close it.")
    three_sixty.round = engine.round_close(round_=three_sixty.round)
    return three_sixty


@transaction.atomic
def three_sixty_share(*, three_sixty: ThreeSixty, leader: User, mentor: User) -> ThreeSixtyShare:
    """Share the summary of a closed 360 with a current mentor. Sharing again after an earlier pairing with the
    same mentor ended is a new share (what was shared under the old pairing stays dark)."""
    if three_sixty.leader_id != leader.pk:
        raise ThreeSixtyError("Only the person who asked can share it.")
    if three_sixty.round.closed_at is None:
        raise ThreeSixtyError("You can share it once it has closed.")
    if not is_current_mentor(mentor=mentor, leader=leader):
        raise ThreeSixtyError("You can only share with your current mentors.")
    share, created = ThreeSixtyShare.objects.get_or_create(three_sixty=three_sixty, mentor=mentor)
    if not created:
        from .selectors import shares_in_force

        if not shares_in_force().filter(pk=share.pk).exists():
            share.shared_at = timezone.now()
            share.save(update_fields=["shared_at"])
    return share


def three_sixty_unshare(*, three_sixty: ThreeSixty, leader: User, mentor: User) -> None:
    if three_sixty.leader_id != leader.pk:
        raise ThreeSixtyError("Only the person who asked can stop sharing it.")
    ThreeSixtyShare.objects.filter(three_sixty=three_sixty, mentor=mentor).delete()
