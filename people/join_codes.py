"""A way in without an email address: people added by an admin with a name and roles only, and join codes.

A join code is a short code an admin prints on a slip and hands over. The person types it at `/join/`, chooses a
username and a password, and is signed in; from then on they sign in with the username. A forgotten password is
put right the same way: an admin issues a new code, which voids the old one, ends every session the person has and
stops the old password working.

Only the code's hash is stored (people.tokens), in the organisation's own schema, so a code of one organisation
means nothing in another. Codes are 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
`KX7P-2MQD`: 31^8 (about 850 billion) codes, of which an organisation has a handful alive for a week, and
redeeming is rate limited per address and per organisation (ACCOUNT_RATE_LIMITS["join_code"]).

These services live here rather than in people/services.py, which is already long (DESIGN.md: one module per area).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .invitation_extras import extras_apply
from .models import JoinCode, User
from .services import PeopleError, _clean_roles, user_sessions_end
from .tokens import token_hash

JOIN_CODE_DAYS = 7
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
USERNAME_MIN, USERNAME_MAX = 3, 30
_USERNAME = re.compile(r"[a-z0-9.-]+")


class JoinCodeError(PeopleError):
    """The code cannot be used. `reason` is "unknown" (also for a code of another organisation or of a deactivated
    person: the same words for all), "expired", "used" or "replaced"."""

    MESSAGES = {
        "unknown": "We don't recognise that code. Check it against your slip, or ask your admin for a new one.",
        "expired": "This code has expired. Codes last 7 days: ask your admin for a new one.",
        "used": "This code has already been used. If you have forgotten your password, ask your admin for a new code.",
        "replaced": "This code has been replaced by a newer one. Use the code on your latest slip, or ask your admin.",
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


@dataclass(frozen=True)
class IssuedCode:
    """A code just made: shown once on the slip, never stored."""

    code: str
    expires_at: datetime

    @property
    def display(self) -> str:
        return code_display(self.code)


def code_normalise(typed: str) -> str:
    """What someone typed, as stored: capitals, without the hyphen and spaces ("kx7p 2mqd" → "KX7P2MQD")."""
    return "".join(character for character in typed.upper() if character.isalnum())


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def username_format(username: str) -> str:
    """The username as stored (lower-case), or ValidationError saying what to change about its form."""
    username = username.strip().lower()
    if "@" in username:
        raise ValidationError(
            "A username can't be an email address. Choose a name without an @, like sam.jones.", code="email"
        )
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        raise ValidationError(
            f"Choose a username of {USERNAME_MIN} to {USERNAME_MAX} characters.", code="length"
        )
    if not _USERNAME.fullmatch(username):
        raise ValidationError(
            "Use only letters (a–z), numbers, dots and hyphens, like sam.jones or sam-1.", code="characters"
        )
    return username


def username_check(username: str, *, person: User | None = None) -> str:
    """The username as stored, or ValidationError: badly formed, or someone else here has it (in any case)."""
    username = username_format(username)
    taken = User.objects.filter(username=username)
    if person is not None:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        raise ValidationError("Someone here already has that username. Please choose another.", code="taken")
    return username


ADD_ONCE_SECONDS = 24 * 60 * 60


@transaction.atomic
def person_add_without_email(
    *, full_name: str, roles: list[str], by: User, once: str = "", extras: dict[str, Any] | None = None
) -> tuple[User, IssuedCode]:
    """Add someone who has no email address, and issue their first join code. `extras` are what the apps above
    people asked for (people.invitation_extras: a team…), done at once, since the person exists from now.

    `once` names the form that asked. The same form sent again (a refresh of the slip page, the back button, a
    double tap) adds nobody new: the person it added gets a fresh code, which voids the one on the first slip, so
    only one slip ever works. The key is kept for a day in the cache, whose keys carry the organisation's schema.
    """
    full_name = full_name.strip()
    if not full_name:
        raise PeopleError("Enter their name, so you know whose slip is whose.")
    key = f"people:add-once:{token_hash(once)}" if once else ""  # whatever was posted, a safe key
    if key and not cache.add(key, 0, ADD_ONCE_SECONDS):
        earlier = User.objects.filter(pk=cache.get(key) or 0, email__isnull=True).first()
        if earlier is None:
            raise PeopleError("This form was already sent and is still being dealt with. Check the people list.")
        return earlier, join_code_issue(person=earlier, by=by)
    try:
        person = User(email=None, full_name=full_name, roles=_clean_roles(roles))
        person.set_unusable_password()
        person.save()
        extras_apply(user=person, extras=extras)
        issued = join_code_issue(person=person, by=by)
    except Exception:
        if key:
            cache.delete(key)  # nothing was added: the same form may be sent again
        raise
    if key:
        cache.set(key, person.pk, ADD_ONCE_SECONDS)
    return person, issued


@transaction.atomic
def join_code_issue(*, person: User, by: User) -> IssuedCode:
    """A new join code for `person` (returned once, never stored). Voids their earlier codes; for someone who has
    already joined, it is also a password reset: every session they have ends and the old password stops working."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.email:
        raise PeopleError(
            f"{person} signs in with their email address, so they can reset their password by email instead."
        )
    if not person.is_active:
        raise PeopleError(f"{person} is deactivated. Reactivate them first.")
    if person.pk == by.pk:
        raise PeopleError("You're signed in, so you can change your password from your account page instead.")
    now = timezone.now()
    JoinCode.objects.filter(person=person, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
    if person.username:
        person.set_unusable_password()
        person.save(update_fields=["password"])
        user_sessions_end(user=person)
    for _ in range(5):
        code = _code_new()
        try:
            with transaction.atomic():
                row = JoinCode.objects.create(
                    person=person, code_hash=token_hash(code), created_by=by, created_at=now,
                    expires_at=now + timedelta(days=JOIN_CODE_DAYS),
                )
        except IntegrityError:  # the same code alive here already: astronomically rare, so just draw again
            continue
        return IssuedCode(code=code, expires_at=row.expires_at)
    raise PeopleError("We could not make a code just now. Please try again.")


def join_code_for(code: str) -> JoinCode | None:
    """The join code row for what someone typed, in this organisation, or None."""
    normalised = code_normalise(code)
    if len(normalised) != CODE_LENGTH:
        return None
    return JoinCode.objects.select_related("person").filter(code_hash=token_hash(normalised)).first()


@transaction.atomic
def join_code_redeem(*, code: str, username: str, password: str) -> User:
    """Use a join code: the person gets `username` and `password`. Raises JoinCodeError for a code that cannot be
    used, or ValidationError ({"username": …} or {"password": …}) for a username or password that will not do."""
    found = join_code_for(code)
    if found is None or not found.person.is_active or found.person.email:
        raise JoinCodeError("unknown")
    join = JoinCode.objects.select_for_update().select_related("person").get(pk=found.pk)
    if join.status != "waiting":
        raise JoinCodeError(join.status)
    person = User.objects.select_for_update().get(pk=join.person_id)
    try:
        person.username = username_check(username, person=person)
    except ValidationError as error:
        raise ValidationError({"username": error.error_list}) from error
    try:
        password_validation.validate_password(password, person)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error
    person.set_password(password)
    try:
        with transaction.atomic():
            person.save(update_fields=["username", "password"])
    except IntegrityError as error:  # someone took the same username a moment ago
        raise ValidationError(
            {"username": ["Someone here already has that username. Please choose another."]}
        ) from error
    join.used_at = timezone.now()
    join.save(update_fields=["used_at"])
    return person
