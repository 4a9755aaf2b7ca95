"""Celery tasks for reflection prompts, mentor digests and the email relay. They take ids only.

Beat sends `tenants.fan_out("reflections.prompts_dispatch")` every minute; each organisation's dispatch
records who is due (exactly once per person and slot), chooses prompts, and queues their emails in batches.
The same dispatch relays whatever an earlier run could not queue (Redis was down, a worker died): pending
prompt emails and notification emails are rows in the database, so nothing queued meanwhile is lost, and a prompt
email claimed by a worker that was killed before sending it is handed back (prompt_delivery.claims_abandoned_release).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import connection
from django.utils import timezone

from people.links import current_organisation_url
from people.relays import RELAY_AFTER

from . import digests, prompt_delivery
from .models import Notification, PromptDelivery
from .tasks import notification_email_send

logger = logging.getLogger(__name__)
EMAIL_BATCH = 100


def _batches(ids: list[int], size: int = EMAIL_BATCH) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def base_url() -> str:
    return current_organisation_url("")


@shared_task(name="reflections.prompts_dispatch", relayed=True)
def prompts_dispatch() -> int:
    # A worker killed mid-send left claims behind: back to pending, so the relay below sends them.
    prompt_delivery.claims_abandoned_release()
    new = prompt_delivery.deliveries_record()
    prompt_delivery.prompts_choose(new)
    new_ids = [pk for pk, _ in new]
    to_email = list(
        PromptDelivery.objects.filter(pk__in=new_ids, email_status=PromptDelivery.EmailStatus.PENDING)
        .order_by("id").values_list("id", flat=True)
    )
    stale = list(
        PromptDelivery.objects.filter(
            email_status=PromptDelivery.EmailStatus.PENDING, created_at__lt=timezone.now() - RELAY_AFTER
        ).exclude(pk__in=new_ids).order_by("id").values_list("id", flat=True)[:5000]
    )
    for batch in _batches(to_email + stale):
        prompt_emails_send.delay(batch)
    for pk in Notification.objects.filter(
        email_due=True, emailed_at__isnull=True, created_at__lt=timezone.now() - RELAY_AFTER
    ).values_list("id", flat=True)[:1000]:
        notification_email_send.delay(pk)
    digests.digests_due_send()
    if new:
        logger.info("Prompts: %s new deliveries in %s", len(new), connection.schema_name)
    return len(new)


@shared_task(
    name="reflections.prompt_emails_send", relayed=True, bind=True,
    max_retries=5, default_retry_delay=60,
)
def prompt_emails_send(self, delivery_ids: list[int]) -> int:
    sent, failed = prompt_delivery.prompt_emails_send(delivery_ids=delivery_ids, base_url=base_url())
    if failed:
        # Back to pending: retry this batch with back-off (1, 2, 4 … minutes), well inside Redis's visibility timeout.
        raise self.retry(countdown=60 * 2 ** self.request.retries)
    return sent
