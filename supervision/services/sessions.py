"""Every write of supervision's relationships and sessions. Callers (views) have checked who may open the session
(`supervision.selectors.sessions.access_session_by_id`); these check what that person may do in it.

The record is written together and never loses an update: every save names the version it was based on, and the
session row is locked while the next version is made. A save based on an older version is refused with
`RecordChanged`, which carries the newer version so the person can merge theirs with it. Every save makes a new
version (who changed what and when is kept) and asks both people to agree again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from people.models import User

from ..models import (
    Action,
    AgendaItem,
    CheckIn,
    RecordAgreement,
    RecordVersion,
    Relationship,
    Session,
    SessionEmail,
    SupervisionSettings,
)

AGENDA_MAX = 500
ACTION_MAX = 500
PLACE_MAX = 200
CHECKIN_MAX = 4000
RECORD_MAX = 20000
DURATIONS = (30, 45, 60, 90, 120)
BOOK_AHEAD = timedelta(days=366)


class SupervisionError(Exception):
    """A request that breaks a rule; the message is shown to the person as it is."""


class RecordChanged(SupervisionError):
    """The record changed since the version a save (or an agreement) was based on."""

    def __init__(self, latest: RecordVersion | None) -> None:
        super().__init__(
            "The record changed while you were writing. Yours is kept below, beside the newer one: bring them "
            "together and save again."
        )
        self.latest = latest


def _clean(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


# --- Who supervises whom (admins)


@transaction.atomic
def relationship_create(
    *, supervisor: User, supervisee: User, starts_on: date | None = None, end_current: bool = False,
) -> Relationship:
    """`supervisor` supervises `supervisee` from `starts_on` (today). A supervisee normally has one current
    supervisor: with `end_current`, the relationship they have now ends the day this one starts; without it, that
    is refused and the form offers it."""
    starts_on = starts_on or timezone.localdate()
    if supervisor.pk == supervisee.pk:
        raise SupervisionError("Nobody supervises themselves. Choose two different people.")
    if not (supervisor.is_active and supervisee.is_active) or supervisor.is_staff or supervisee.is_staff:
        raise SupervisionError("Both people must have active accounts.")
    # Lock the supervisee so two admins setting their supervisor at once cannot both pass.
    User.objects.select_for_update().filter(pk=supervisee.pk).first()
    not_ended = Relationship.objects.filter(supervisee=supervisee).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    )
    if not_ended.filter(supervisor=supervisor).exists():
        raise SupervisionError(f"{supervisor} already supervises {supervisee}.")
    others = list(not_ended.select_related("supervisor"))
    if others and not end_current:
        raise SupervisionError(
            f"{supervisee} is supervised by {others[0].supervisor} now. Tick “End the current supervision” to "
            "change supervisor, or end it first."
        )
    for other in others:
        if other.starts_on >= starts_on:
            raise SupervisionError(
                f"{supervisee} has supervision with {other.supervisor} starting on "
                f"{other.starts_on:%-d %B %Y}. End that one first."
            )
        relationship_end(relationship=other, on=starts_on)
    try:
        with transaction.atomic():
            return Relationship.objects.create(supervisor=supervisor, supervisee=supervisee, starts_on=starts_on)
    except IntegrityError as error:
        raise SupervisionError(f"{supervisor} already supervises {supervisee}.") from error


@transaction.atomic
def relationship_end(*, relationship: Relationship, on: date | None = None) -> Relationship:
    """End a relationship on `on` (today). The supervisor loses access from that day; sessions booked after it are
    cancelled (both people hear). The supervisee keeps everything that was said."""
    on = on or timezone.localdate()
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.ends_on is not None and relationship.ends_on <= on:
        raise SupervisionError("This supervision has already ended.")
    relationship.ends_on = max(on, relationship.starts_on)
    relationship.save(update_fields=["ends_on"])
    for session in relationship.sessions.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now()):
        _cancel(session)
    return relationship


@transaction.atomic
def settings_update(*, frequency_weeks: int) -> SupervisionSettings:
    if frequency_weeks not in SupervisionSettings.Frequency.values:
        raise SupervisionError("Choose every 4, 6 or 8 weeks.")
    row, _ = SupervisionSettings.objects.update_or_create(singleton=1, defaults={"frequency_weeks": frequency_weeks})
    return row


# --- Sessions


def _people(session: Session) -> list[User]:
    relationship = session.relationship
    return [relationship.supervisee, relationship.supervisor]


def _check_party(session: Session, by: User) -> None:
    relationship = session.relationship
    if by.pk not in (relationship.supervisor_id, relationship.supervisee_id):
        raise SupervisionError("Only the two people in this supervision can do that.")


def _emails_owed(session: Session, kind: str) -> None:
    """Rows first (the relay sends whatever was never queued), then the queue once the transaction commits."""
    rows = [
        SessionEmail(session=session, person=person, kind=kind, sequence=session.sequence)
        for person in _people(session) if person.is_active and person.email
    ]
    made = SessionEmail.objects.bulk_create(rows, ignore_conflicts=True)
    ids = [row.pk for row in made if row.pk]
    if not ids:
        ids = list(SessionEmail.objects.filter(session=session, kind=kind, sequence=session.sequence,
                                               sent_at__isnull=True).values_list("pk", flat=True))

    def queue() -> None:
        from ..emails import session_email_send

        for pk in ids:
            session_email_send.delay(pk)

    transaction.on_commit(queue)


def _check_time(starts_at: datetime, duration_minutes: int, place: str) -> str:
    if timezone.is_naive(starts_at):
        raise SupervisionError("Give a date and a time.")
    if starts_at > timezone.now() + BOOK_AHEAD:
        raise SupervisionError("Book a session up to a year ahead.")
    if duration_minutes not in DURATIONS:
        raise SupervisionError("Choose how long the session is from the list.")
    place = _clean(place)
    if len(place) > PLACE_MAX:
        raise SupervisionError(f"Keep the place to {PLACE_MAX} characters or fewer.")
    return place


@transaction.atomic
def session_schedule(
    *, relationship: Relationship, by: User, starts_at: datetime, duration_minutes: int = 60, place: str = "",
) -> Session:
    """Book a session. Both people get an invitation with a calendar file if it is still to come."""
    if by.pk not in (relationship.supervisor_id, relationship.supervisee_id):
        raise SupervisionError("Only the two people in this supervision can book a session.")
    if not relationship.is_current():
        raise SupervisionError("This supervision has ended, so no more sessions can be booked in it.")
    place = _check_time(starts_at, duration_minutes, place)
    session = Session.objects.create(
        relationship=relationship, starts_at=starts_at, duration_minutes=duration_minutes, place=place, created_by=by,
    )
    if starts_at > timezone.now():
        _emails_owed(session, SessionEmail.Kind.INVITE)
    return session


def _locked(session: Session) -> Session:
    locked = Session.objects.select_for_update().select_related(
        "relationship__supervisor", "relationship__supervisee"
    ).get(pk=session.pk)
    return locked


@transaction.atomic
def session_reschedule(
    *, session: Session, by: User, starts_at: datetime, duration_minutes: int, place: str,
) -> Session:
    """A new time or place. The calendar entry keeps its uid and gets the next sequence, so calendars move it."""
    session = _locked(session)
    _check_party(session, by)
    if session.is_cancelled:
        raise SupervisionError("This session was cancelled. Book a new one instead.")
    place = _check_time(starts_at, duration_minutes, place)
    if (session.starts_at, session.duration_minutes, session.place) == (starts_at, duration_minutes, place):
        return session
    session.starts_at, session.duration_minutes, session.place = starts_at, duration_minutes, place
    session.sequence += 1
    session.save(update_fields=["starts_at", "duration_minutes", "place", "sequence"])
    if starts_at > timezone.now():
        _emails_owed(session, SessionEmail.Kind.UPDATE)
    return session


def _cancel(session: Session) -> None:
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence"])
    _emails_owed(session, SessionEmail.Kind.CANCEL)


@transaction.atomic
def session_cancel(*, session: Session, by: User) -> Session:
    session = _locked(session)
    _check_party(session, by)
    if session.is_cancelled:
        return session
    if session.starts_at <= timezone.now():
        raise SupervisionError("This session has happened already; you can still write its record.")
    _cancel(session)
    return session


def _open(session: Session) -> None:
    if session.is_cancelled:
        raise SupervisionError("This session was cancelled.")


# --- Check-in, agenda


@transaction.atomic
def checkin_save(*, session: Session, by: User, text: str, shared: bool) -> CheckIn | None:
    """The supervisee's "How are you, really?". Empty text removes it."""
    if by.pk != session.relationship.supervisee_id:
        raise SupervisionError("The check-in is the supervisee's to write.")
    _open(session)
    text = _clean(text)
    if len(text) > CHECKIN_MAX:
        raise SupervisionError(f"Keep it to {CHECKIN_MAX:,} characters or fewer.")
    if not text:
        CheckIn.objects.filter(session=session).delete()
        return None
    checkin, _ = CheckIn.objects.update_or_create(session=session, defaults={"text": text, "shared": shared})
    return checkin


@transaction.atomic
def agenda_add(*, session: Session, by: User, text: str) -> AgendaItem:
    _check_party(session, by)
    _open(session)
    text = _clean(text)
    if not text:
        raise SupervisionError("Write what you want to talk about.")
    if len(text) > AGENDA_MAX:
        raise SupervisionError(f"Keep it to {AGENDA_MAX} characters or fewer: you can say more on the day.")
    return AgendaItem.objects.create(session=session, author=by, text=text)


@transaction.atomic
def agenda_remove(*, session: Session, by: User, item_id: int) -> None:
    """Each person removes only what they added."""
    deleted, _ = AgendaItem.objects.filter(session=session, author=by, pk=item_id).delete()
    if not deleted:
        raise SupervisionError("That item is not yours to remove, or it has gone already.")


# --- The record


@transaction.atomic
def record_save(*, session: Session, by: User, text: str, based_on: int) -> RecordVersion:
    """Save the record as `by` wrote it, based on version `based_on` (0 for the first). Refused with
    `RecordChanged` when someone saved a newer version meanwhile: nobody's words are lost."""
    session = _locked(session)
    _check_party(session, by)
    _open(session)
    text = _clean(text).replace("\r\n", "\n")
    if not text:
        raise SupervisionError("Write the record before saving it.")
    if len(text) > RECORD_MAX:
        raise SupervisionError(f"Keep the record to {RECORD_MAX:,} characters or fewer.")
    latest = RecordVersion.objects.filter(session=session, number=session.version).first() if session.version else None
    if based_on != session.version:
        raise RecordChanged(latest)
    if latest is not None and latest.text == text:
        return latest
    version = RecordVersion.objects.create(session=session, number=session.version + 1, text=text, author=by)
    session.version, session.agreed_at = version.number, None
    session.save(update_fields=["version", "agreed_at"])
    return version


@transaction.atomic
def record_agree(*, session: Session, by: User, version: int) -> bool:
    """`by` agrees version `version` of the record (the one they read). True once both have agreed it."""
    session = _locked(session)
    _check_party(session, by)
    _open(session)
    latest = RecordVersion.objects.filter(session=session, number=session.version).first() if session.version else None
    if latest is None:
        raise SupervisionError("There is no record to agree yet.")
    if version != session.version:
        raise RecordChanged(latest)
    RecordAgreement.objects.get_or_create(version=latest, person=by)
    both = {session.relationship.supervisor_id, session.relationship.supervisee_id}
    agreed = both <= set(latest.agreements.values_list("person_id", flat=True))
    if agreed and session.agreed_at is None:
        session.agreed_at = timezone.now()
        session.save(update_fields=["agreed_at"])
    return agreed


# --- Actions


@transaction.atomic
def action_add(*, session: Session, by: User, text: str, owner: str, due_on: date | None = None) -> Action:
    """An action agreed in `session`; `owner` is "supervisee" or "supervisor"."""
    _check_party(session, by)
    _open(session)
    text = _clean(text)
    if not text:
        raise SupervisionError("Say what will be done.")
    if len(text) > ACTION_MAX:
        raise SupervisionError(f"Keep the action to {ACTION_MAX} characters or fewer.")
    if owner not in ("supervisee", "supervisor"):
        raise SupervisionError("Choose who will do it.")
    relationship = session.relationship
    owner_user = relationship.supervisee if owner == "supervisee" else relationship.supervisor
    return Action.objects.create(session=session, text=text, owner=owner_user, due_on=due_on)


REVIEW_CHOICES = (Action.Status.DONE, Action.Status.CARRIED, Action.Status.LET_GO)


@transaction.atomic
def action_review(*, session: Session, by: User, action_id: int, status: str) -> Action:
    """In `session`, look at an open action from an earlier session of the same relationship: done, carried on
    (it becomes an action of this session too, linked to the old one) or let go."""
    _check_party(session, by)
    _open(session)
    if status not in REVIEW_CHOICES:
        raise SupervisionError("Choose done, carry on or let go.")
    action = (
        Action.objects.select_for_update().filter(
            pk=action_id, session__relationship=session.relationship, status=Action.Status.OPEN,
            session__cancelled_at__isnull=True,
        ).filter(Q(session__starts_at__lt=session.starts_at)
                 | Q(session__starts_at=session.starts_at, session__pk__lt=session.pk)).first()
    )
    if action is None:
        raise SupervisionError("That action has been looked at already.")
    action.status, action.reviewed_in = status, session
    action.save(update_fields=["status", "reviewed_in", "updated_at"])
    if status == Action.Status.CARRIED:
        Action.objects.create(
            session=session, text=action.text, owner_id=action.owner_id, due_on=None, carried_from=action,
        )
    return action


@transaction.atomic
def action_done(*, session: Session, by: User, action_id: int) -> Action:
    """Mark an action of this session done (before the next session looks at it)."""
    _check_party(session, by)
    action = Action.objects.select_for_update().filter(
        pk=action_id, session=session, status=Action.Status.OPEN
    ).first()
    if action is None:
        raise SupervisionError("That action has been looked at already.")
    action.status, action.reviewed_in = Action.Status.DONE, session
    action.save(update_fields=["status", "reviewed_in", "updated_at"])
    return action
