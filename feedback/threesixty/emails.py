"""The 360's emails: the ask, and one reminder to those who haven't answered. Celery tasks take a respondent's id,
never anything anyone wrote.

The work is a database row first (`Respondent.emailed_at` / `reminded_at` empty), so if Redis is down when a 360 is
asked for, `threesixty_tick` (run by `feedback.rounds_tick` in each organisation every five minutes) sends what
was not queued. Each task claims its row before sending (the time set and committed), so a task run twice sends
once; if the mail server refuses, the claim is released and the task retries with back-off.

A rater without an account gets a single-use link. Only the hash of a link is kept, so the link is made when the
email goes (`engine.respondent_link_renew`): the reminder carries a fresh one, and the link before it stops working.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from people.links import current_organisation_url
from people.tokens import token_new

from .. import engine
from ..models import Respondent, Round

logger = logging.getLogger(__name__)
# Rows queued less than this long ago are left to the message already in flight.
RELAY_AFTER = timedelta(minutes=2)
REMIND_BEFORE_CLOSE = timedelta(days=3)
BATCH = 1000


def remind_at(round_: Round) -> datetime:
    """When the one reminder goes: three days before the round closes, or halfway through a shorter one."""
    halfway = round_.opened_at + (round_.closes_at - round_.opened_at) / 2
    return max(halfway, round_.closes_at - REMIND_BEFORE_CLOSE)


def _open_360_respondents():
    return Respondent.objects.filter(
        answered=False, round__closed_at__isnull=True, round__closes_at__gt=timezone.now(),
        round__three_sixty__isnull=False,
    )


def _link_for(respondent: Respondent) -> str | None:
    """Where this rater answers: the 360's page inside the organisation for a colleague, a fresh single-use link
    for someone without an account (None when it can no longer be answered)."""
    if respondent.user_id is not None:
        return current_organisation_url(reverse("feedback:threesixty:answer", args=[respondent.round.three_sixty.pk]))
    token = token_new()[0]
    if not engine.respondent_link_renew(respondent=respondent, token=token):
        return None
    return current_organisation_url(reverse("feedback:threesixty:answer_link", args=[token]))


def _send(respondent: Respondent, *, reminder: bool) -> bool:
    address = respondent.user.email if respondent.user_id else respondent.email
    if not address or (respondent.user_id and not respondent.user.is_active):
        return False  # a colleague with no email address, or gone: the home page asks them
    link = _link_for(respondent)
    if link is None:
        return False
    leader = respondent.round.three_sixty.leader
    context = {
        "leader": leader, "link": link, "closes_at": respondent.round.closes_at, "reminder": reminder,
        "k": respondent.round.k,
        "colleague": respondent.user_id is not None, "organisation": getattr(connection.tenant, "name", ""),
        "name": respondent.user.get_short_name() if respondent.user_id else "",
    }
    subject = (f"A reminder: {leader.get_full_name()} would value your feedback" if reminder
               else f"{leader.get_full_name()} asked for your feedback")
    send_mail(subject, render_to_string("feedback/threesixty/email/ask.txt", context), None, [address])
    return True


def _respondent(pk: int) -> Respondent | None:
    return Respondent.objects.select_related("user", "round", "round__three_sixty__leader").filter(pk=pk).first()


@shared_task(name="feedback.threesixty_ask_send", relayed=True, bind=True, ignore_result=True,
             max_retries=5, default_retry_delay=60)
def ask_email_send(self, respondent_id: int) -> None:
    with transaction.atomic():
        claimed = _open_360_respondents().filter(pk=respondent_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return  # sent already, answered, or closed
    respondent = _respondent(respondent_id)
    if respondent is None:
        return
    try:
        _send(respondent, reminder=False)
    except Exception as exc:
        Respondent.objects.filter(pk=respondent_id).update(emailed_at=None)
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc


@shared_task(name="feedback.threesixty_reminder_send", relayed=True, bind=True, ignore_result=True,
             max_retries=5, default_retry_delay=60)
def reminder_email_send(self, respondent_id: int) -> None:
    with transaction.atomic():
        claimed = _open_360_respondents().filter(
            pk=respondent_id, reminded_at__isnull=True, emailed_at__isnull=False,
        ).update(reminded_at=timezone.now())
    if not claimed:
        return
    respondent = _respondent(respondent_id)
    if respondent is None:
        return
    try:
        _send(respondent, reminder=True)
    except Exception as exc:
        Respondent.objects.filter(pk=respondent_id).update(reminded_at=None)
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc


def threesixty_tick(now: datetime | None = None) -> dict[str, int]:
    """The 360's part of the feedback beat: relay asks that were never queued, and send each open 360's one
    reminder when its time comes (and relay reminders that were never queued)."""
    now = now or timezone.now()
    waiting = _open_360_respondents()
    asks = list(waiting.filter(emailed_at__isnull=True, created_at__lt=now - RELAY_AFTER)
                .order_by("id").values_list("id", flat=True)[:BATCH])
    for pk in asks:
        ask_email_send.delay(pk)
    due = [
        round_.pk for round_ in Round.objects.filter(
            closed_at__isnull=True, reminded_at__isnull=True, closes_at__gt=now, three_sixty__isnull=False,
        ).only("id", "opened_at", "closes_at")
        if remind_at(round_) <= now
    ]
    if due:
        Round.objects.filter(pk__in=due, reminded_at__isnull=True).update(reminded_at=now)
    reminders = list(
        waiting.filter(emailed_at__isnull=False, reminded_at__isnull=True, round__reminded_at__isnull=False)
        .filter(round_id__in=due).order_by("id").values_list("id", flat=True)[:BATCH]
    ) + list(
        waiting.filter(emailed_at__isnull=False, reminded_at__isnull=True,
                       round__reminded_at__lt=now - RELAY_AFTER)
        .exclude(round_id__in=due).order_by("id").values_list("id", flat=True)[:BATCH]
    )
    for pk in reminders:
        reminder_email_send.delay(pk)
    if asks or reminders:
        logger.info("360: %s asks and %s reminders queued in %s", len(asks), len(reminders), connection.schema_name)
    return {"threesixty_asks": len(asks), "threesixty_reminders": len(reminders)}
