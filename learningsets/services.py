"""Writes on action learning sets. Run inside the organisation's schema; every function checks who may do it.

Who does what:
- An admin or a team lead starts a set (4 to 8 members and a facilitator, who may be one of them).
- Everyone invited accepts the agreement (or declines); anyone may leave, except the facilitator, who hands the
  role to another member first (`facilitator_hand_over`, which is also how an admin appoints one when the set has
  none, or its facilitator's account was closed); the facilitator removes a member, invites someone new (up to 8
  members), books, changes and cancels meetings, sets the rhythm and records attendance.
- The presenter (or the facilitator) hands the presenting to another member; the presenter posts the brief,
  records the action they commit to and, at the next meeting, reports back on it.
- Any member with an accepted place adds open questions to the presenter's list.

Emails are rows first (`SetMember.invite_emailed_at`, `MeetingEmail`) and are queued after the commit; the beat's
`learningsets.tick` sends whatever was never queued (learningsets.emails).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from people.models import User
from people.selectors import active_members
from teams.models import Team

from . import selectors
from .agreement import AGREEMENT_VERSION
from .clock import organisation_zone
from .models import (
    MAX_MEMBERS,
    MIN_MEMBERS,
    RHYTHM_WEEKS,
    Attendance,
    EmailKind,
    EndedHow,
    LearningSet,
    Meeting,
    MeetingEmail,
    Question,
    SetMember,
)

NAME_MAX = LearningSet._meta.get_field("name").max_length
PLACE_MAX = LearningSet._meta.get_field("place").max_length
BRIEF_MAX = 3000
QUESTION_MAX = 500
ACTION_MAX = 1000
REPORT_MAX = 2000
MINUTES_MIN, MINUTES_MAX = 15, 480
# Questions and the action may be added from a little before the meeting until a day after it ends (a set that
# runs over, a presenter who writes their action up that evening).
OPENS_BEFORE = timedelta(hours=1)
STAYS_OPEN_AFTER = timedelta(days=1)
# How far ahead a rhythm books the next meeting.
BOOK_AHEAD = timedelta(weeks=7)


class SetError(Exception):
    """A request that breaks a rule of sets; the message is shown to the person as it is."""


def _text(value: str, *, limit: int, what: str, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise SetError(f"Write {what} first.")
    if len(value) > limit:
        raise SetError(f"Keep {what} to {limit} characters or fewer.")
    return value


def _line(value: str, *, limit: int, what: str, required: bool = True) -> str:
    return _text(" ".join((value or "").split()), limit=limit, what=what, required=required)


def _is_active(user: User) -> bool:
    return active_members().filter(pk=user.pk).exists()


def _lock(learning_set: LearningSet) -> LearningSet:
    return LearningSet.objects.select_for_update().get(pk=learning_set.pk)


def _place_of(user: User, learning_set: LearningSet) -> SetMember | None:
    return selectors.accepted_places().filter(user=user, learning_set=learning_set).first()


def _facilitator_check(by: User, learning_set: LearningSet) -> None:
    place = _place_of(by, learning_set)
    if place is None or not place.is_facilitator:
        raise SetError("Only the set's facilitator can do that.")


def _on_commit_invites(place_ids: list[int]) -> None:
    if place_ids:
        from .tasks import set_invite_send

        transaction.on_commit(lambda: [set_invite_send.delay(pk) for pk in place_ids])


def _on_commit_emails(email_ids: Iterable[int]) -> None:
    ids = list(email_ids)
    if ids:
        from .tasks import meeting_email_send

        transaction.on_commit(lambda: [meeting_email_send.delay(pk) for pk in ids])


# --- Sets and places


@transaction.atomic
def set_create(
    *, by: User, name: str, facilitator: User, members: Iterable[User], team: Team | None = None,
    rhythm_weeks: int | None = None, meeting_minutes: int = 120, place: str = "",
) -> LearningSet:
    """A new set, with everyone invited (by email too). Nobody has accepted yet, the facilitator included."""
    if not selectors.can_start_a_set(by):
        raise SetError("Only admins and team leads can start a set.")
    name = _line(name, limit=NAME_MAX, what="the set's name")
    if team is not None and not selectors.teams_to_draw_from(by).filter(pk=team.pk).exists():
        raise SetError("Choose one of your own teams, or none.")
    chosen = list({user.pk: user for user in members}.values())
    if not MIN_MEMBERS <= len(chosen) <= MAX_MEMBERS:
        raise SetError(f"A set has {MIN_MEMBERS} to {MAX_MEMBERS} members: you chose {len(chosen)}.")
    ids = {user.pk for user in chosen} | {facilitator.pk}
    if active_members().filter(pk__in=ids).count() != len(ids):
        raise SetError("Everyone in a set must be an active member of your organisation.")
    if rhythm_weeks is not None and rhythm_weeks not in RHYTHM_WEEKS:
        raise SetError("Choose every 4, 5 or 6 weeks, or book meetings by date.")
    if not MINUTES_MIN <= meeting_minutes <= MINUTES_MAX:
        raise SetError(f"A meeting runs {MINUTES_MIN} to {MINUTES_MAX} minutes.")
    learning_set = LearningSet.objects.create(
        name=name, team=team, rhythm_weeks=rhythm_weeks, meeting_minutes=meeting_minutes,
        place=_line(place, limit=PLACE_MAX, what="where the set meets", required=False), created_by=by,
    )
    places = [
        SetMember(learning_set=learning_set, user=user, is_member=True, is_facilitator=user.pk == facilitator.pk,
                  invited_by=by)
        for user in chosen
    ]
    if facilitator.pk not in {user.pk for user in chosen}:
        places.insert(0, SetMember(learning_set=learning_set, user=facilitator, is_member=False,
                                   is_facilitator=True, invited_by=by))
    SetMember.objects.bulk_create(places)
    _on_commit_invites([place.pk for place in places])
    return learning_set


@transaction.atomic
def member_invite(*, learning_set: LearningSet, user: User, by: User) -> SetMember:
    """The facilitator invites someone new to the set (up to eight members)."""
    learning_set = _lock(learning_set)
    _facilitator_check(by, learning_set)
    if not _is_active(user):
        raise SetError("Choose an active member of your organisation.")
    if SetMember.objects.filter(learning_set=learning_set, user=user, ended_at__isnull=True).exists():
        raise SetError(f"{user} is already in the set or invited to it.")
    if selectors.open_places().filter(learning_set=learning_set, is_member=True).count() >= MAX_MEMBERS:
        raise SetError(f"A set has at most {MAX_MEMBERS} members. Someone would need to leave first.")
    try:
        with transaction.atomic():
            place = SetMember.objects.create(learning_set=learning_set, user=user, is_member=True, invited_by=by)
    except IntegrityError as error:
        raise SetError(f"{user} is already in the set or invited to it.") from error
    _on_commit_invites([place.pk])
    return place


def _open_place(place: SetMember, user: User) -> SetMember:
    place = SetMember.objects.select_for_update().select_related("learning_set").filter(pk=place.pk).first()
    if place is None or place.user_id != user.pk or place.ended_at is not None:
        raise SetError("That invitation is no longer open.")
    return place


@transaction.atomic
def place_accept(*, place: SetMember, user: User) -> SetMember:
    """`user` accepts the set's agreement: from now on they see the set, and get its meetings' invitations."""
    place = _open_place(place, user)
    if place.accepted_at is None:
        place.accepted_at = timezone.now()
        place.agreement_version = AGREEMENT_VERSION
        place.save(update_fields=["accepted_at", "agreement_version"])
        upcoming = selectors.live_meetings(place.learning_set).filter(starts_at__gt=timezone.now())
        _on_commit_emails(_emails_record(
            [(meeting, place.user_id) for meeting in upcoming], kind=EmailKind.INVITE
        ))
    return place


def _end(place: SetMember, how: str) -> SetMember:
    place.ended_at = timezone.now()
    place.ended_how = how
    place.save(update_fields=["ended_at", "ended_how"])
    # Their turn to present in a meeting still to come goes back to the rota, and their brief with it: what they
    # would have brought leaves with them.
    Meeting.objects.filter(
        learning_set=place.learning_set, presenter_id=place.user_id, starts_at__gt=timezone.now()
    ).update(presenter=None, brief="", brief_template="", brief_parts={}, brief_posted_at=None,
             updated_at=timezone.now())
    return place


@transaction.atomic
def place_decline(*, place: SetMember, user: User) -> SetMember:
    place = _open_place(place, user)
    if place.accepted_at is not None:
        raise SetError("You have already joined this set. You can leave it from its page.")
    return _end(place, EndedHow.DECLINED)


@transaction.atomic
def place_leave(*, place: SetMember, user: User) -> SetMember:
    """`user` leaves: from their next request they see nothing of the set. The facilitator hands the role on first
    (`facilitator_hand_over`), or nobody could book the set's meetings."""
    place = _open_place(place, user)
    if place.is_facilitator:
        raise SetError(FACILITATOR_CANNOT_LEAVE)
    return _end(place, EndedHow.LEFT)


FACILITATOR_CANNOT_LEAVE = ("You facilitate this set, so hand the role to another member before you leave: without a "
                            "facilitator, nobody can book its meetings.")


@transaction.atomic
def facilitator_hand_over(*, learning_set: LearningSet, by: User, to: User, then_leave: bool = False) -> SetMember:
    """The one rule for who facilitates a set. The facilitator hands the role to another member with an accepted
    place, or an admin of the organisation appoints one (admins still see nothing said in the set). Whoever
    facilitated before stops: they stay in the set as a member if they are one (unless the facilitator asked to
    leave too, `then_leave`); someone who only facilitated steps out of it. Returns the new facilitator's place."""
    learning_set = _lock(learning_set)
    own = _place_of(by, learning_set)
    by_facilitator = own is not None and own.is_facilitator
    if not by_facilitator and not (_is_active(by) and by.is_org_admin):
        raise SetError("Only the set's facilitator, or an admin, can do that.")
    if then_leave and not by_facilitator:
        raise SetError("Only the facilitator can hand over and leave.")
    new = selectors.accepted_places().select_for_update().filter(learning_set=learning_set, user=to).first()
    if new is None:
        raise SetError("Choose someone who has joined the set.")
    if by_facilitator and new.user_id == by.pk:
        raise SetError("Choose another member to hand the role to.")
    if new.is_facilitator:
        if then_leave:
            raise SetError("Choose another member to hand over to.")
        return new
    # Every open facilitator's row (an account closed since still holds one): the constraint allows one at a time.
    for old in SetMember.objects.select_for_update().select_related("learning_set").filter(
        learning_set=learning_set, ended_at__isnull=True, is_facilitator=True
    ):
        if old.is_member and not (then_leave and old.user_id == by.pk):
            old.is_facilitator = False
            old.save(update_fields=["is_facilitator"])
        else:  # the row keeps saying they facilitated; it ends
            _end(old, EndedHow.LEFT if old.user_id == by.pk else EndedHow.HANDED_OVER)
    new.is_facilitator = True
    new.save(update_fields=["is_facilitator"])
    return new


@transaction.atomic
def place_remove(*, place: SetMember, by: User) -> SetMember:
    """The facilitator removes someone (a member, or an invitation not yet accepted)."""
    place = SetMember.objects.select_for_update().select_related("learning_set", "user").filter(pk=place.pk).first()
    if place is None or place.ended_at is not None:
        raise SetError("They are no longer in the set.")
    _facilitator_check(by, place.learning_set)
    if place.user_id == by.pk:
        raise SetError("You can't remove yourself: hand over facilitating from the set's page, then leave the set "
                       "instead.")
    return _end(place, EndedHow.REMOVED)


@transaction.atomic
def rhythm_set(*, learning_set: LearningSet, by: User, rhythm_weeks: int | None) -> LearningSet:
    learning_set = _lock(learning_set)
    _facilitator_check(by, learning_set)
    if rhythm_weeks is not None and rhythm_weeks not in RHYTHM_WEEKS:
        raise SetError("Choose every 4, 5 or 6 weeks, or book meetings by date.")
    learning_set.rhythm_weeks = rhythm_weeks
    learning_set.save(update_fields=["rhythm_weeks", "updated_at"])
    return learning_set


# --- Meetings


def _emails_record(pairs: Iterable[tuple[Meeting, int]], *, kind: str) -> list[int]:
    """Record one email per (meeting, person) at the meeting's current sequence; returns the ids of those not sent
    yet. A row that exists already is left as it is (meeting_email_once), so nothing is recorded, or sent, twice."""
    rows = [MeetingEmail(meeting=meeting, user_id=user_id, kind=kind, sequence=meeting.sequence)
            for meeting, user_id in pairs]
    if not rows:
        return []
    MeetingEmail.objects.bulk_create(rows, ignore_conflicts=True)
    which = Q()
    for row in rows:
        which |= Q(meeting_id=row.meeting.pk, user_id=row.user_id, sequence=row.sequence)
    return list(MeetingEmail.objects.filter(which, kind=kind, sent_at__isnull=True).values_list("pk", flat=True))


def _tell_the_set(meeting: Meeting, kind: str) -> None:
    people = selectors.accepted_places().filter(learning_set_id=meeting.learning_set_id).values_list(
        "user_id", flat=True
    )
    _on_commit_emails(_emails_record([(meeting, user_id) for user_id in people], kind=kind))


def _check_start(starts_at: datetime, minutes: int) -> None:
    if starts_at <= timezone.now():
        raise SetError("Choose a date and time still to come.")
    if not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise SetError(f"A meeting runs {MINUTES_MIN} to {MINUTES_MAX} minutes.")


def _presenter_check(learning_set: LearningSet, presenter: User | None) -> None:
    if presenter is not None and not selectors.accepted_places().filter(
        learning_set=learning_set, user=presenter, is_member=True
    ).exists():
        raise SetError("The presenter must be a member of the set who has joined it.")


def _meeting_create(
    learning_set: LearningSet, *, starts_at: datetime, minutes: int, place: str, presenter: User | None,
    by: User | None,
) -> Meeting:
    if presenter is None:
        presenter = selectors.rota_suggestion(learning_set)
    meeting = Meeting.objects.create(
        learning_set=learning_set, starts_at=starts_at, minutes=minutes, place=place, presenter=presenter,
        created_by=by,
    )
    _tell_the_set(meeting, EmailKind.INVITE)
    return meeting


@transaction.atomic
def meeting_book(
    *, learning_set: LearningSet, by: User, starts_at: datetime, minutes: int | None = None, place: str = "",
    presenter: User | None = None, allow_past: bool = False,
) -> Meeting:
    """The facilitator books a meeting. The presenter is the rota's suggestion unless they choose someone; everyone
    in the set gets an invitation with a calendar file. (`allow_past` is for the demo's history only.)"""
    learning_set = _lock(learning_set)
    _facilitator_check(by, learning_set)
    minutes = minutes or learning_set.meeting_minutes
    if not allow_past:
        _check_start(starts_at, minutes)
    _presenter_check(learning_set, presenter)
    place = _line(place, limit=PLACE_MAX, what="where you meet", required=False) or learning_set.place
    return _meeting_create(learning_set, starts_at=starts_at, minutes=minutes, place=place, presenter=presenter,
                           by=by)


def _meeting_locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("learning_set").get(pk=meeting.pk)


@transaction.atomic
def meeting_change(*, meeting: Meeting, by: User, starts_at: datetime, minutes: int, place: str) -> Meeting:
    """The facilitator moves a meeting still to come: the calendar's copy is updated (a new sequence)."""
    meeting = _meeting_locked(meeting)
    _facilitator_check(by, meeting.learning_set)
    if meeting.cancelled_at is not None or meeting.starts_at <= timezone.now():
        raise SetError("Only a meeting still to come can be changed.")
    _check_start(starts_at, minutes)
    place = _line(place, limit=PLACE_MAX, what="where you meet", required=False)
    if (starts_at, minutes, place) == (meeting.starts_at, meeting.minutes, meeting.place):
        return meeting
    meeting.starts_at, meeting.minutes, meeting.place = starts_at, minutes, place
    meeting.sequence = F("sequence") + 1
    meeting.save(update_fields=["starts_at", "minutes", "place", "sequence", "updated_at"])
    meeting.refresh_from_db(fields=["sequence"])
    _tell_the_set(meeting, EmailKind.UPDATE)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    meeting = _meeting_locked(meeting)
    _facilitator_check(by, meeting.learning_set)
    if meeting.cancelled_at is not None:
        return meeting
    if meeting.starts_at <= timezone.now():
        raise SetError("Only a meeting still to come can be cancelled.")
    meeting.cancelled_at = timezone.now()
    meeting.sequence = F("sequence") + 1
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    meeting.refresh_from_db(fields=["sequence"])
    _tell_the_set(meeting, EmailKind.CANCEL)
    return meeting


def rhythm_keep(*, now: datetime | None = None) -> int:
    """For each set with a rhythm, book the next meeting when none is booked ahead: the rhythm's weeks after the
    last meeting, at the same time of day in the organisation's time zone (so two in the afternoon stays two across
    the clocks changing), moved on until it is still to come. Run by the beat; returns how many it booked."""
    now = now or timezone.now()
    zone = organisation_zone()
    ahead = Meeting.objects.filter(learning_set=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=now)
    booked = 0
    for learning_set in LearningSet.objects.filter(rhythm_weeks__isnull=False).exclude(Exists(ahead)):
        with transaction.atomic():
            learning_set = _lock(learning_set)
            live = selectors.live_meetings(learning_set)
            if learning_set.rhythm_weeks is None or live.filter(starts_at__gt=now).exists():
                continue
            last = live.order_by("-starts_at").first()
            if last is None:
                continue  # the first meeting is the facilitator's to book
            local = timezone.localtime(last.starts_at, zone)
            day = local.date()
            starts_at = last.starts_at
            while starts_at <= now:
                day += timedelta(weeks=learning_set.rhythm_weeks)
                starts_at = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
            if starts_at - now > BOOK_AHEAD:
                continue
            _meeting_create(learning_set, starts_at=starts_at, minutes=learning_set.meeting_minutes,
                            place=last.place or learning_set.place, presenter=None, by=None)
            booked += 1
    return booked


@transaction.atomic
def presenter_change(*, meeting: Meeting, by: User, presenter: User) -> Meeting:
    """Hand the presenting of a meeting still to come to another member: the presenter swaps with them (or the
    facilitator arranges it). If the other member presents at a later meeting, they swap places."""
    meeting = _meeting_locked(meeting)
    learning_set = meeting.learning_set
    place = _place_of(by, learning_set)
    if place is None or not (place.is_facilitator or meeting.presenter_id == by.pk):
        raise SetError("Only the presenter or the facilitator can change who presents.")
    if meeting.cancelled_at is not None or meeting.starts_at <= timezone.now():
        raise SetError("Only a meeting still to come can change presenter.")
    if meeting.brief_posted_at is not None:
        raise SetError("The presenter has posted a brief already. They could take it down first.")
    _presenter_check(learning_set, presenter)
    if presenter.pk == meeting.presenter_id:
        return meeting
    later = (
        selectors.live_meetings(learning_set).filter(starts_at__gt=meeting.starts_at, presenter=presenter,
                                                     brief_posted_at__isnull=True)
        .select_for_update().order_by("starts_at").first()
    )
    if later is not None:
        later.presenter_id = meeting.presenter_id
        later.save(update_fields=["presenter", "updated_at"])
    meeting.presenter = presenter
    meeting.save(update_fields=["presenter", "updated_at"])
    return meeting


def _presenter_only(meeting: Meeting, by: User) -> None:
    if meeting.presenter_id != by.pk or _place_of(by, meeting.learning_set) is None:
        raise SetError("Only the presenter can do that.")
    if meeting.cancelled_at is not None:
        raise SetError("This meeting was cancelled.")


def _in_the_meeting(meeting: Meeting, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    ends = meeting.starts_at + timedelta(minutes=meeting.minutes)
    return meeting.starts_at - OPENS_BEFORE <= now <= ends + STAYS_OPEN_AFTER


def _brief_parts(parts: dict[str, str] | None) -> dict[str, str]:
    clean = {}
    for key, value in (parts or {}).items():
        value = _text(value, limit=BRIEF_MAX, what="each part of the brief", required=False)
        if value:
            clean[str(key)[:40]] = value
    return clean


@transaction.atomic
def brief_post(
    *, meeting: Meeting, by: User, text: str, template: str = "", parts: dict[str, str] | None = None,
) -> Meeting:
    """The presenter posts (or rewrites, or with nothing in it takes down) a short brief, before the meeting ends.
    Only the set reads it."""
    meeting = _meeting_locked(meeting)
    _presenter_only(meeting, by)
    if meeting.starts_at + timedelta(minutes=meeting.minutes) < timezone.now():
        raise SetError("This meeting is over: the brief stays as it was.")
    text = _text(text, limit=BRIEF_MAX, what="the brief", required=False)
    parts = _brief_parts(parts) if template else {}
    if sum(len(value) for value in parts.values()) + len(text) > BRIEF_MAX:
        raise SetError(f"Keep the brief to {BRIEF_MAX} characters or fewer in all.")
    meeting.brief, meeting.brief_template, meeting.brief_parts = text, (template if parts else ""), parts
    meeting.brief_posted_at = timezone.now() if (text or parts) else None
    meeting.save(update_fields=["brief", "brief_template", "brief_parts", "brief_posted_at", "updated_at"])
    return meeting


@transaction.atomic
def question_add(*, meeting: Meeting, by: User, text: str) -> Question:
    """A member adds an open question to the presenter's list (the hint about advice is the form's; the question is
    theirs to ask)."""
    meeting = Meeting.objects.select_related("learning_set").get(pk=meeting.pk)
    place = _place_of(by, meeting.learning_set)
    if place is None:
        raise SetError("Only the set's members can add questions.")
    if meeting.cancelled_at is not None:
        raise SetError("This meeting was cancelled.")
    if meeting.presenter_id is None:
        raise SetError("Nobody is presenting at this meeting yet.")
    if meeting.presenter_id == by.pk:
        raise SetError("The questions are for you to think about: the others ask them.")
    if not _in_the_meeting(meeting):
        raise SetError("Questions are added during the meeting.")
    return Question.objects.create(meeting=meeting, asked_by=by,
                                   text=_text(text, limit=QUESTION_MAX, what="your question"))


@transaction.atomic
def action_record(*, meeting: Meeting, by: User, text: str) -> Meeting:
    """The presenter records the action they commit to; they report back on it at the next meeting."""
    meeting = _meeting_locked(meeting)
    _presenter_only(meeting, by)
    if not _in_the_meeting(meeting):
        raise SetError("The action is recorded during the meeting.")
    meeting.action = _text(text, limit=ACTION_MAX, what="your action")
    meeting.action_recorded_at = timezone.now()
    meeting.save(update_fields=["action", "action_recorded_at", "updated_at"])
    return meeting


@transaction.atomic
def report_record(*, meeting: Meeting, by: User, text: str) -> Meeting:
    """The presenter of `meeting` reports back on its action (at the next meeting, first thing)."""
    meeting = _meeting_locked(meeting)
    _presenter_only(meeting, by)
    if meeting.action_recorded_at is None:
        raise SetError("There is no action to report back on.")
    if meeting.starts_at > timezone.now():
        raise SetError("Report back after the meeting where you chose the action.")
    meeting.report = _text(text, limit=REPORT_MAX, what="how it went")
    meeting.reported_at = timezone.now()
    meeting.save(update_fields=["report", "reported_at", "updated_at"])
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: User, present: Iterable[int]) -> Meeting:
    """The facilitator records who was there (everyone with an accepted place; the others as away). Attended
    meetings count towards each person's CPD with the meeting's minutes."""
    meeting = _meeting_locked(meeting)
    _facilitator_check(by, meeting.learning_set)
    if meeting.cancelled_at is not None:
        raise SetError("This meeting was cancelled.")
    if meeting.starts_at > timezone.now():
        raise SetError("Record who came once the meeting has started.")
    present = set(present)
    people = list(
        selectors.accepted_places().filter(learning_set=meeting.learning_set).values_list("user_id", flat=True)
    )
    unknown = present - set(people) - set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    if unknown:
        raise SetError("Choose people from the set's list.")
    existing = {row.user_id: row for row in Attendance.objects.filter(meeting=meeting)}
    for user_id in people:
        row = existing.get(user_id)
        if row is None:
            Attendance.objects.create(meeting=meeting, user_id=user_id, attended=user_id in present)
        elif row.attended != (user_id in present):
            row.attended = user_id in present
            row.save(update_fields=["attended", "recorded_at"])
    # Someone who left since keeps the record as it was, unless the facilitator ticks them again.
    for user_id, row in existing.items():
        if user_id not in people and row.attended != (user_id in present):
            row.attended = user_id in present
            row.save(update_fields=["attended", "recorded_at"])
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["attendance_recorded_at", "updated_at"])
    return meeting
