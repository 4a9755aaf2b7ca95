"""Celery tasks of action learning sets. They take ids, never anything anyone wrote.

Beat sends `tenants.fan_out("learningsets.tick")` every five minutes; each organisation's tick keeps rhythms
booked, records the reminders due and queues the emails not sent yet (learningsets.emails).
"""

from __future__ import annotations

from celery import shared_task

from . import emails


@shared_task(name="learningsets.tick", relayed=True)
def tick() -> dict[str, int]:
    return emails.sets_tick()


@shared_task(name="learningsets.set_invite_send", relayed=True, bind=True, ignore_result=True,
             max_retries=5, default_retry_delay=60)
def set_invite_send(self, place_id: int) -> None:
    try:
        emails.set_invite_send(place_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc


@shared_task(name="learningsets.meeting_email_send", relayed=True, bind=True, ignore_result=True,
             max_retries=5, default_retry_delay=60)
def meeting_email_send(self, email_id: int) -> None:
    try:
        emails.meeting_email_send(email_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc
