"""Supervision's emails: the invitation (with a calendar file), a new time or place, a cancellation, and a reminder
the day before. None of them carries anything said in supervision: who, when, where and a link.

The work is a database row first (`SessionEmail`, written in the transaction that made it due), so if Redis is down
`supervision_tick` (the beat, in each organisation every five minutes) sends what was never queued. Each task claims
its row before sending (`sent_at` set and committed), so a task run twice sends once; if the mail server refuses, the
claim is released and the task retries with back-off. Reminders are rows too, one per person, session and calendar
sequence (a unique constraint), made from 9:00 in the organisation's time zone on the day before: exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from people.links import current_organisation_url
from people.relays import RELAY_AFTER
from reflections.selectors.prompts import organisation_time_zone

from .calendar import session_ics
from .models import Session, SessionEmail

logger = logging.getLogger(__name__)
REMIND_FROM = time(9, 0)
BATCH = 1000

SUBJECTS = {
    SessionEmail.Kind.INVITE: "Supervision with {other} on {when}",
    SessionEmail.Kind.UPDATE: "Supervision with {other} has moved to {when}",
    SessionEmail.Kind.CANCEL: "Supervision with {other} on {when} is cancelled",
    SessionEmail.Kind.REMINDER: "Tomorrow: supervision with {other}",
}


def _row(pk: int) -> SessionEmail | None:
    return SessionEmail.objects.select_related(
        "person", "session__relationship__supervisor", "session__relationship__supervisee"
    ).filter(pk=pk).first()


def _send(row: SessionEmail) -> bool:
    person, session = row.person, row.session
    if not person.is_active or not person.email:
        return False
    if row.kind != SessionEmail.Kind.CANCEL and (session.is_cancelled or session.starts_at <= timezone.now()):
        return False  # too late to be of use
    relationship = session.relationship
    other = relationship.supervisor if person.pk == relationship.supervisee_id else relationship.supervisee
    local = timezone.localtime(session.starts_at, ZoneInfo(organisation_time_zone()))
    when = f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"
    context = {
        "name": person.get_short_name(), "other": other.get_full_name(), "when": when, "place": session.place,
        "kind": row.kind, "is_supervisee": person.pk == relationship.supervisee_id,
        "link": current_organisation_url(reverse("supervision:session", args=[session.pk])),
        "organisation": getattr(connection.tenant, "name", ""),
    }
    message = EmailMessage(
        SUBJECTS[row.kind].format(other=other.get_full_name(), when=when),
        render_to_string("supervision/email/session.txt", context), None, [person.email],
    )
    if row.kind != SessionEmail.Kind.REMINDER:
        cancel = row.kind == SessionEmail.Kind.CANCEL
        message.attach(
            "cancel.ics" if cancel else "invite.ics", session_ics(session, cancel=cancel),
            f"text/calendar; charset=utf-8; method={'CANCEL' if cancel else 'REQUEST'}",
        )
    message.send()
    return True


@shared_task(name="supervision.session_email_send", relayed=True, bind=True, ignore_result=True,
             max_retries=5, default_retry_delay=60)
def session_email_send(self, email_id: int) -> None:
    with transaction.atomic():
        claimed = SessionEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return  # sent already
    row = _row(email_id)
    if row is None:
        return
    try:
        _send(row)
    except Exception as exc:
        SessionEmail.objects.filter(pk=email_id).update(sent_at=None)
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc


def reminders_due(now: datetime) -> list[Session]:
    """Sessions tomorrow (in the organisation's time zone), once it is 9:00 today there."""
    tz = ZoneInfo(organisation_time_zone())
    local_now = timezone.localtime(now, tz)
    if local_now.time() < REMIND_FROM:
        return []
    tomorrow = local_now.date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0, 0), tz)
    end = datetime.combine(tomorrow + timedelta(days=1), time(0, 0), tz)
    return list(
        Session.objects.filter(
            cancelled_at__isnull=True, starts_at__gte=max(start, now), starts_at__lt=end,
            relationship__supervisor__is_active=True, relationship__supervisee__is_active=True,
        ).select_related("relationship__supervisor", "relationship__supervisee")
    )


def supervision_tick(now: datetime | None = None) -> dict[str, int]:
    """Make tomorrow's reminders (once each), then queue every email not yet sent: new reminders at once, and any
    other row left unsent for a couple of minutes (its message was lost, or never queued)."""
    now = now or timezone.now()
    rows = [
        SessionEmail(session=session, person=person, kind=SessionEmail.Kind.REMINDER, sequence=session.sequence,
                     created_at=now)
        for session in reminders_due(now)
        for person in (session.relationship.supervisee, session.relationship.supervisor)
        if person.email
    ]
    if rows:
        SessionEmail.objects.bulk_create(rows, ignore_conflicts=True)
    fresh = Q(kind=SessionEmail.Kind.REMINDER, created_at__gte=now - RELAY_AFTER)
    ids = list(
        SessionEmail.objects.filter(sent_at__isnull=True, session__starts_at__gt=now)
        .filter(fresh | Q(created_at__lt=now - RELAY_AFTER)).order_by("id").values_list("id", flat=True)[:BATCH]
    )
    for pk in ids:
        session_email_send.delay(pk)
    if ids:
        logger.info("Supervision: %s emails queued in %s", len(ids), connection.schema_name)
    return {"supervision_emails": len(ids)}
