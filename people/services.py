"""Writes on people. Run inside the organisation's schema."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .invitation_extras import InvitationExtraError, csv_extra_columns, extras_apply, invitation_extras
from .links import current_organisation_url
from .models import Invitation, MentorPairing, OrganisationSettings, Role, User
from .selectors import active_members
from .tokens import token_new

INVITATION_DAYS = 14
CSV_MAX_ROWS = 1000
CSV_MAX_BYTES = 1024 * 1024
CSV_COLUMNS = ("name", "email", "roles")


class PeopleError(Exception):
    """A request that breaks a rule of the organisation; the message is shown to the person as it is."""


@transaction.atomic
def user_create(
    *, email: str, full_name: str, roles: list[str], password: str | None = None, verified: bool = False,
    is_staff: bool = False, is_superuser: bool = False,
) -> User:
    """Create a person and their allauth email record (verified when we know the address is theirs)."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, roles=sorted(set(roles)),
        is_staff=is_staff, is_superuser=is_superuser,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


# --- Invitations


token_hash = Invitation.hash_token


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _clean_roles(roles: list[str]) -> list[str]:
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise PeopleError(f"Unknown role: {', '.join(unknown)}.")
    if not roles:
        raise PeopleError("Choose at least one role.")
    return sorted(set(roles))


def _email_taken(email: str) -> bool:
    """Someone here already signs in with this address (as their login, or as a verified extra address)."""
    return (
        User.objects.filter(email=email).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
    )


def _queue_invitation_email(invitation_id: int) -> None:
    from .tasks import invitation_send

    transaction.on_commit(lambda: invitation_send.delay(invitation_id))


@transaction.atomic
def invitation_create(
    *, email: str, full_name: str, roles: list[str], invited_by: User | None, extras: dict[str, Any] | None = None
) -> Invitation:
    """Invite one person; the email goes out from a Celery task once this transaction commits. `extras` are what
    the apps above people asked for (people.invitation_extras), done when the person accepts."""
    email = _normalise_email(email)
    roles = _clean_roles(roles)
    if _email_taken(email):
        raise PeopleError(f"{email} is already a member of your organisation.")
    # An invitation that has expired unanswered makes way for a new one.
    Invitation.objects.filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True, expires__lte=timezone.now()
    ).update(revoked_at=timezone.now())
    if Invitation.objects.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).exists():
        raise PeopleError(f"{email} has already been invited. You can resend the invitation instead.")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email, full_name=full_name.strip(), roles=roles, invited_by=invited_by,
                expires=timezone.now() + timedelta(days=INVITATION_DAYS), extras=_extras_kept(extras),
            )
    except IntegrityError as error:  # someone invited the same address a moment ago
        raise PeopleError(f"{email} has already been invited.") from error
    _queue_invitation_email(invitation.pk)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send again with a fresh link and a fresh expiry date; the previous link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise PeopleError("This invitation has been answered or withdrawn, so it cannot be sent again.")
    if _email_taken(invitation.email):
        raise PeopleError(f"{invitation.email} is already a member of your organisation.")
    invitation.expires = timezone.now() + timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["expires"])
    _queue_invitation_email(invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise PeopleError("This invitation has already been accepted.")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _accept_url(token: str) -> str:
    return current_organisation_url(f"/invitations/{token}/")


@transaction.atomic
def invitation_deliver(*, invitation_id: int) -> bool:
    """Mint a new token, store its hash and email the link. Called by the Celery task; False if nothing to send."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_open:
        return False
    token, invitation.token_hash = token_new()
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "send_count"])
    context = {
        "invitation": invitation,
        "organisation": connection.tenant,
        "accept_url": _accept_url(token),
        "inviter": invitation.invited_by,
        "days": INVITATION_DAYS,
    }
    subject = render_to_string("people/email/invitation_subject.txt", context).strip()
    body = render_to_string("people/email/invitation_message.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the person with the invited roles and a verified email address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise PeopleError("This invitation can no longer be used.")
    if _email_taken(invitation.email):
        raise PeopleError("There is already an account for this email address. Please sign in instead.")
    user = user_create(
        email=invitation.email, full_name=full_name.strip(), roles=invitation.roles, password=password,
        verified=True,
    )
    extras_apply(user=user, extras=invitation.extras)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    # The hash stays, so the used link can say "already used" rather than "unknown".
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


def _extras_kept(extras: dict[str, Any] | None) -> dict[str, Any]:
    """The extras worth keeping: those some app registered, with a value."""
    known = {extra.key for extra in invitation_extras()}
    return {key: value for key, value in (extras or {}).items() if key in known and value not in (None, "")}


# --- Bulk invitations from a CSV file


@dataclass
class CsvRowResult:
    line: int
    name: str
    email: str
    roles: list[str]
    reason: str = ""


@dataclass
class CsvReport:
    invited: list[CsvRowResult] = field(default_factory=list)
    skipped: list[CsvRowResult] = field(default_factory=list)
    rejected: list[CsvRowResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.invited) + len(self.skipped) + len(self.rejected)


_NOT_CSV = "This does not look like a CSV file. Save your spreadsheet as CSV UTF-8 (comma delimited) and try again."
# Longer than any real name, email address or list of roles; the csv module's own limit is 128 KB a field.
CSV_MAX_FIELD = 1000
_EMAIL_MAX = Invitation._meta.get_field("email").max_length
_NAME_MAX = Invitation._meta.get_field("full_name").max_length


def _decode_csv(data: bytes) -> str:
    """The file's text, or PeopleError for a file no spreadsheet saves as CSV (binary, UTF-16, NUL bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PeopleError(
            "This does not look like a CSV file: it was saved as UTF-16 (“Unicode Text”). Save your spreadsheet "
            "as CSV UTF-8 (comma delimited) and try again."
        )
    # A NUL byte anywhere (not only near the start) means a binary file, and PostgreSQL cannot store one.
    if b"\x00" in data:
        raise PeopleError(_NOT_CSV)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV (comma delimited)" as Windows-1252 (Latin-1 and a few more letters).
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise PeopleError(_NOT_CSV) from error


def _read_csv(data: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(data) > CSV_MAX_BYTES:
        raise PeopleError("The file is larger than 1 MB. Please split it into smaller files.")
    text = _decode_csv(data)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as error:
        # Python's wording ("field larger than field limit") would not help; almost always a stray quotation mark.
        raise PeopleError(
            f"We could not read line {reader.line_num} of this CSV file: it may have a quotation mark that is "
            "never closed, or a value that is far too long. Save it again as CSV and try again."
        ) from error
    rows = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not rows:
        raise PeopleError("The file is empty. The first row should be the header: name, email, roles.")
    header_line, header = rows[0]
    header = [cell.strip().lower() for cell in header]
    optional = csv_extra_columns()
    if not set(CSV_COLUMNS) <= set(header) or not set(header) <= {*CSV_COLUMNS, *optional} \
            or len(set(header)) != len(header):
        may = f" (and, if you like, {' and '.join(optional)})" if optional else ""
        raise PeopleError(
            f"The first row must name the columns name, email and roles{may} "
            f"(we found: {', '.join(header) or 'nothing'})."
        )
    body = rows[1:]
    if not body:
        raise PeopleError("The file has a header but no people in it.")
    if len(body) > CSV_MAX_ROWS:
        raise PeopleError(
            f"The file has {len(body)} people; you can invite up to {CSV_MAX_ROWS:,} at a time. "
            "Please split it into smaller files."
        )
    result = []
    for number, row in body:
        values = {name: (row[index].strip() if index < len(row) else "") for index, name in enumerate(header)}
        too_long = [name for name, value in values.items() if len(value) > CSV_MAX_FIELD]
        if too_long:
            raise PeopleError(
                f"Line {number} has a {too_long[0]} longer than {CSV_MAX_FIELD:,} characters. "
                "Please check the file: a column may be missing a closing quotation mark."
            )
        result.append((number, values))
    return result


@transaction.atomic
def invitations_import_csv(*, data: bytes, invited_by: User | None) -> CsvReport:
    """Invite everyone in a CSV file (columns name, email, roles; roles separated by ; or |).

    Raises PeopleError for a file that cannot be used at all; otherwise reports each row.
    """
    rows = _read_csv(data)
    report = CsvReport()
    now = timezone.now()
    members = set(User.objects.values_list("email", flat=True)) | {
        email.lower() for email in EmailAddress.objects.filter(verified=True).values_list("email", flat=True)
    }
    waiting = set(
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires__gt=now)
        .values_list("email", flat=True)
    )
    seen: set[str] = set()
    to_create: list[Invitation] = []
    # Each extra's reader is made once for the file (a team's reader knows every team's name), not once a row.
    readers = [
        (extra.key, extra.csv_column, extra.csv_reader())
        for extra in invitation_extras() if extra.csv_column and extra.csv_reader is not None
    ]
    for line, values in rows:
        email = _normalise_email(values["email"])
        role_names = [part.strip().lower() for part in re.split(r"[;|]", values["roles"]) if part.strip()]
        item = CsvRowResult(line=line, name=values["name"], email=values["email"], roles=role_names)
        try:
            validate_email(email)
        except ValidationError:
            item.reason = "not a valid email address" if email else "no email address"
            report.rejected.append(item)
            continue
        if len(email) > _EMAIL_MAX or len(values["name"]) > _NAME_MAX:
            item.reason = f"the {'email address' if len(email) > _EMAIL_MAX else 'name'} is too long"
            report.rejected.append(item)
            continue
        unknown = [role for role in role_names if role not in Role.values]
        if unknown:
            item.reason = f"unknown role “{unknown[0]}” (use admin, leader or mentor)"
            report.rejected.append(item)
            continue
        if not role_names:
            item.reason = "no role given (use admin, leader or mentor)"
            report.rejected.append(item)
            continue
        extras: dict[str, Any] = {}
        try:
            for key, column, read in readers:
                value = read(values.get(column, ""))
                if value not in (None, ""):
                    extras[key] = value
        except InvitationExtraError as error:
            item.reason = str(error)
            report.rejected.append(item)
            continue
        if email in seen:
            item.reason = "this email address appears earlier in the file"
            report.rejected.append(item)
            continue
        seen.add(email)
        if email in members:
            item.reason = "already a member"
            report.skipped.append(item)
            continue
        if email in waiting:
            item.reason = "already invited"
            report.skipped.append(item)
            continue
        to_create.append(
            Invitation(
                email=email, full_name=values["name"], roles=sorted(set(role_names)), invited_by=invited_by,
                created=now, expires=now + timedelta(days=INVITATION_DAYS), extras=extras,
            )
        )
        report.invited.append(item)
    if to_create:
        # Unanswered invitations that have expired make way for the new ones.
        Invitation.objects.filter(
            email__in=[inv.email for inv in to_create], accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        for invitation in Invitation.objects.bulk_create(to_create):
            _queue_invitation_email(invitation.pk)
    return report


# --- Members


def admin_keep_one(*, member: User, by: User | None, doing: str) -> None:
    """The rule "an organisation always keeps an active admin", for every way of stepping down: losing the admin
    role, being deactivated, deleting your own account. Raises PeopleError when `member` is the only active admin.

    Locks the admins' rows (call it inside the transaction that makes the change), so two admins stepping down at
    the same moment cannot both pass and leave nobody in charge. `doing` finishes the sentence "you cannot …".
    """
    admins = list(
        active_members().select_for_update().filter(roles__contains=[Role.ADMIN]).values_list("pk", flat=True)
    )
    if member.pk in admins and len(admins) == 1:
        if by is None or by.pk == member.pk:
            raise PeopleError(
                f"You are the only admin of your organisation, so you cannot {doing}. Make someone else an admin "
                "first, so your colleagues are not left without one."
            )
        raise PeopleError(f"{member} is the only admin. Make someone else an admin first.")


@transaction.atomic
def member_set_roles(*, member: User, roles: list[str], by: User) -> User:
    roles = _clean_roles(roles)
    if Role.ADMIN not in roles:
        admin_keep_one(member=member, by=by, doing="remove your own admin role")
    # Someone who stops being a mentor (or a leader) stops being paired as one from today: a mentor's access
    # to shared entries follows current pairings, so it must not outlive the role.
    today = timezone.localdate()
    open_pairings = MentorPairing.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
    lost = Q(pk__in=[])
    if member.is_mentor and Role.MENTOR not in roles:
        lost |= Q(mentor=member)
    if member.is_leader and Role.LEADER not in roles:
        lost |= Q(leader=member)
    for pairing in open_pairings.filter(lost):
        pairing.ends_on = max(today, pairing.starts_on)
        pairing.save(update_fields=["ends_on"])
    member.roles = roles
    member.save(update_fields=["roles"])
    return member


def user_sessions_end(*, user: User) -> int:
    """Sign the person out everywhere, at once (deactivation, account deletion). Returns how many sessions ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    # Sessions that started before allauth tracked them: find them by the user id they carry, and delete them
    # through the session store so a cached copy goes too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def member_deactivate(*, member: User, by: User) -> User:
    """Stop a person signing in and end every session they have, at once. Their data stays."""
    if member.pk == by.pk:
        raise PeopleError("You cannot deactivate yourself. Ask another admin to do it.")
    admin_keep_one(member=member, by=by, doing="be deactivated")
    member.is_active = False
    member.save(update_fields=["is_active"])
    user_sessions_end(user=member)
    return member


@transaction.atomic
def member_reactivate(*, member: User) -> User:
    member.is_active = True
    member.save(update_fields=["is_active"])
    return member


# --- Mentor pairings


@transaction.atomic
def pairing_create(
    *, leader: User, mentor: User, starts_on: date | None = None, ends_on: date | None = None
) -> MentorPairing:
    starts_on = starts_on or timezone.localdate()
    if leader.pk == mentor.pk:
        raise PeopleError("A person cannot mentor themselves. Choose two different people.")
    if not leader.is_leader:
        raise PeopleError(f"{leader} is not a leader.")
    if not mentor.is_mentor:
        raise PeopleError(f"{mentor} is not a mentor.")
    if not (leader.is_active and mentor.is_active):
        raise PeopleError("Both people must have active accounts.")
    if ends_on is not None and ends_on <= starts_on:
        raise PeopleError("The end date must be after the start date.")
    # Lock the leader so two admins cannot add the same pairing at once.
    User.objects.select_for_update().filter(pk=leader.pk).first()
    overlapping = MentorPairing.objects.filter(leader=leader, mentor=mentor).exclude(ends_on__lte=starts_on)
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lt=ends_on)
    if overlapping.exists():
        raise PeopleError(f"{mentor} is already paired with {leader} for those dates.")
    try:
        with transaction.atomic():
            return MentorPairing.objects.create(leader=leader, mentor=mentor, starts_on=starts_on, ends_on=ends_on)
    except IntegrityError as error:
        raise PeopleError(f"{mentor} is already paired with {leader}.") from error


@transaction.atomic
def pairing_end(*, pairing: MentorPairing, on: date | None = None) -> MentorPairing:
    """End a pairing today. A pairing that has not started yet ends before it begins."""
    on = on or timezone.localdate()
    pairing = MentorPairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.ends_on is not None and pairing.ends_on <= on:
        raise PeopleError("This pairing has already ended.")
    pairing.ends_on = max(on, pairing.starts_on)
    pairing.save(update_fields=["ends_on"])
    return pairing


# --- Organisation settings


@transaction.atomic
def organisation_settings_update(*, by: User, require_mfa_for_admins: bool) -> OrganisationSettings:
    from allauth.mfa.utils import is_mfa_enabled

    if require_mfa_for_admins and not is_mfa_enabled(by):
        raise PeopleError("Set up two-step sign-in for yourself first, so you are not locked out of managing people.")
    row, _ = OrganisationSettings.objects.update_or_create(
        singleton=1, defaults={"require_mfa_for_admins": require_mfa_for_admins}
    )
    return row
