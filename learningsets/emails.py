"""The sets' emails: the invitation to a set, each meeting's invitation (with an `.ics`), its updates and
cancellation, the reminder the day before and the presenter's report-back reminder. None carries anything said in
the set: no brief, no question, no action, not even who presents. Celery tasks (learningsets.tasks) take a row's id.

The work is a database row first (`SetMember.invite_emailed_at` empty, a `MeetingEmail` not sent), so if Redis is
down when it is queued, `sets_tick` (run by `learningsets.tick` in each organisation every five minutes) sends what
was never queued. Each send claims its row first (the time set and committed), so a task run twice sends once; if
the mail server refuses, the claim is released and the task retries with back-off. A reminder is one row per person
and meeting (`meeting_email_once`): recorded once, sent once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from people.links import current_organisation_url
from people.relays import RELAY_AFTER

from . import selectors
from .clock import organisation_zone
from .models import EmailKind, Meeting, MeetingEmail, SetMember

logger = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(days=1)
MAX_ATTEMPTS = 5
BATCH = 1000

SUBJECTS = {
    EmailKind.INVITE: "Your action learning set meets on {when}",
    EmailKind.UPDATE: "Changed: your action learning set now meets on {when}",
    EmailKind.CANCEL: "Cancelled: your action learning set on {when}",
    EmailKind.REMINDER: "Tomorrow: your action learning set, {time}",
    EmailKind.REPORT_BACK: "Before tomorrow's set: how did your action go?",
}


# --- Calendar


def calendar_uid(meeting: Meeting) -> str:
    """The meeting's identity in every calendar: the same for its invitation, its updates and its cancellation."""
    return f"learningset-meeting-{meeting.uid}@{settings.BASE_DOMAIN}"


def meeting_ics(meeting: Meeting, *, cancel: bool = False, attendee: str = "") -> bytes:
    """An iCalendar file for `meeting`: a stable UID and a SEQUENCE that grows with each change, so calendars
    update the event in place. The summary names the set only."""
    calendar = Calendar()
    calendar.add("prodid", "-//Heartwood//Action learning sets//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", calendar_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.minutes))
    event.add("summary", f"Action learning set: {meeting.learning_set.name}")
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", current_organisation_url(
        reverse("learningsets:meeting", args=[meeting.learning_set_id, meeting.pk])
    ))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{_from_address()}")
    organiser.params["cn"] = vText("Heartwood")
    event.add("organizer", organiser)
    if attendee:
        event.add("attendee", f"mailto:{attendee}")
    calendar.add_component(event)
    return calendar.to_ical()


def _from_address() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in sender else sender


# --- The invitation to a set


def set_invite_send(place_id: int) -> bool:
    """Send the invitation to a set, once. Returns whether an email went."""
    with transaction.atomic():
        claimed = SetMember.objects.filter(
            pk=place_id, invite_emailed_at__isnull=True, ended_at__isnull=True, accepted_at__isnull=True,
        ).update(invite_emailed_at=timezone.now())
    if not claimed:
        return False
    place = SetMember.objects.select_related("user", "learning_set", "invited_by").get(pk=place_id)
    if not place.user.email or not place.user.is_active:
        return False  # the home page asks them
    context = {
        "name": place.user.get_short_name(), "set": place.learning_set, "invited_by": place.invited_by,
        "facilitating": place.is_facilitator, "organisation": getattr(connection.tenant, "name", ""),
        "link": current_organisation_url(reverse("learningsets:detail", args=[place.learning_set_id])),
    }
    try:
        EmailMultiAlternatives(
            subject=f"You're invited to an action learning set: {place.learning_set.name}",
            body=render_to_string("learningsets/email/set_invite.txt", context), to=[place.user.email],
        ).send()
    except Exception:
        SetMember.objects.filter(pk=place_id).update(invite_emailed_at=None)
        raise
    return True


# --- Meeting emails


def _still_theirs(email: MeetingEmail) -> bool:
    return selectors.accepted_places().filter(
        user_id=email.user_id, learning_set_id=email.meeting.learning_set_id
    ).exists()


def meeting_email_send(email_id: int, *, now: datetime | None = None) -> bool:
    """Send one meeting email, once. Returns whether an email went. Nothing goes to someone no longer in the set,
    about a meeting that has begun, or (for an invitation or update) about one cancelled since, or of an older
    sequence than the meeting's now."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = MeetingEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(
            sent_at=now, attempts=F("attempts") + 1
        )
    if not claimed:
        return False
    email = MeetingEmail.objects.select_related("meeting__learning_set", "user").get(pk=email_id)
    meeting, user = email.meeting, email.user
    stale = (
        meeting.starts_at <= now
        or (email.kind != EmailKind.CANCEL and meeting.cancelled_at is not None)
        or (email.kind in (EmailKind.INVITE, EmailKind.UPDATE, EmailKind.CANCEL) and email.sequence != meeting.sequence)
    )
    if stale or not user.email or not user.is_active or not _still_theirs(email):
        return False
    try:
        _meeting_message(email).send()
    except Exception:
        MeetingEmail.objects.filter(pk=email_id).update(sent_at=None)
        raise
    return True


def _meeting_message(email: MeetingEmail) -> EmailMultiAlternatives:
    meeting, user = email.meeting, email.user
    zone = organisation_zone()
    local = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.starts_at + timedelta(minutes=meeting.minutes), zone)
    context = {
        "name": user.get_short_name(), "set": meeting.learning_set, "meeting": meeting, "kind": email.kind,
        "starts": local, "ends": ends, "organisation": getattr(connection.tenant, "name", ""),
        "link": current_organisation_url(reverse("learningsets:meeting", args=[meeting.learning_set_id, meeting.pk])),
    }
    subject = SUBJECTS[email.kind].format(
        when=f"{local:%A} {local.day} {local:%B}", time=f"{local:%H:%M}",
    )
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("learningsets/email/meeting.txt", context), to=[user.email],
    )
    if email.kind in (EmailKind.INVITE, EmailKind.UPDATE, EmailKind.CANCEL):
        cancel = email.kind == EmailKind.CANCEL
        message.attach(
            "meeting.ics", meeting_ics(meeting, cancel=cancel, attendee=user.email),
            f"text/calendar; charset=utf-8; method={'CANCEL' if cancel else 'REQUEST'}",
        )
    return message


# --- The beat


def reminders_record(now: datetime | None = None) -> list[int]:
    """Record the reminders due now: everyone in the set the day before each meeting, and the last meeting's
    presenter (when they committed to an action) a nudge to think about how it went. One row per person, meeting
    and kind, whatever runs twice. Returns the ids of rows not sent yet."""
    now = now or timezone.now()
    due = list(
        Meeting.objects.filter(cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE)
        .select_related("learning_set")
    )
    if not due:
        return []
    rows = []
    people: dict[int, list[int]] = {}
    for set_id, user_id in selectors.accepted_places().filter(
        learning_set_id__in={m.learning_set_id for m in due}
    ).values_list("learning_set_id", "user_id"):
        people.setdefault(set_id, []).append(user_id)
    for meeting in due:
        for user_id in people.get(meeting.learning_set_id, []):
            rows.append(MeetingEmail(meeting=meeting, user_id=user_id, kind=EmailKind.REMINDER))
        last = selectors.previous_meeting(meeting)
        if (last is not None and last.presenter_id and last.action_recorded_at is not None
                and last.reported_at is None and last.presenter_id in people.get(meeting.learning_set_id, [])):
            rows.append(MeetingEmail(meeting=meeting, user_id=last.presenter_id, kind=EmailKind.REPORT_BACK))
    known = set(
        MeetingEmail.objects.filter(meeting__in=due, kind__in=[EmailKind.REMINDER, EmailKind.REPORT_BACK])
        .values_list("meeting_id", "user_id", "kind")
    )
    rows = [row for row in rows if (row.meeting.pk, row.user_id, row.kind) not in known]
    if not rows:
        return []
    MeetingEmail.objects.bulk_create(rows, ignore_conflicts=True)
    which = Q()
    for row in rows:
        which |= Q(meeting_id=row.meeting.pk, user_id=row.user_id, kind=row.kind)
    return list(MeetingEmail.objects.filter(which, sent_at__isnull=True).values_list("pk", flat=True))


def sets_tick(now: datetime | None = None) -> dict[str, int]:
    """The sets' beat in one organisation: keep rhythms booked, record the reminders due, and queue every email not
    sent yet (new ones, and any an earlier run could not queue)."""
    from . import services
    from .tasks import meeting_email_send as meeting_email_task
    from .tasks import set_invite_send as set_invite_task

    now = now or timezone.now()
    booked = services.rhythm_keep(now=now)
    fresh = reminders_record(now)
    stale = list(
        MeetingEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=now - RELAY_AFTER, attempts__lt=MAX_ATTEMPTS,
            meeting__starts_at__gt=now,
        ).exclude(pk__in=fresh).order_by("id").values_list("pk", flat=True)[:BATCH]
    )
    for pk in fresh + stale:
        meeting_email_task.delay(pk)
    invites = list(
        SetMember.objects.filter(
            invite_emailed_at__isnull=True, ended_at__isnull=True, accepted_at__isnull=True,
            invited_at__lt=now - RELAY_AFTER,
        ).order_by("id").values_list("pk", flat=True)[:BATCH]
    )
    for pk in invites:
        set_invite_task.delay(pk)
    if booked or fresh or stale or invites:
        logger.info("Sets: %s booked, %s reminders, %s relayed, %s invitations in %s", booked, len(fresh),
                    len(stale), len(invites), connection.schema_name)
    return {"booked": booked, "reminders": len(fresh), "relayed": len(stale), "invitations": len(invites)}

