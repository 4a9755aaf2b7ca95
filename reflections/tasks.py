"""Celery tasks of the journal. They take ids, never journal text, and run in the organisation they were sent
from (tenant-schemas-celery)."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from people.links import current_organisation_url


# relayed: the work is a database row; if Redis is down when it is queued, the relay sends it later.
@shared_task(relayed=True, bind=True, ignore_result=True, max_retries=5, default_retry_delay=60)
def notification_email_send(self, notification_id: int) -> None:
    """Tell someone there is something new for them, with a link and no content (not even a title).

    Claimed before sending (emailed_at set and committed), so a retried or relayed task never sends twice;
    if the mail server refuses, the claim is released and the task retries with back-off."""
    from .models import Notification

    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id, email_due=True, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
    if not claimed:
        return  # already sent, or not for email
    notification = (
        Notification.objects.filter(pk=notification_id, recipient__is_active=True)
        .select_related("recipient", "actor").first()
    )
    if notification is None or not notification.recipient.email:
        return  # unshared, deleted, the account went in the meantime, or the person has no email address
    organisation = getattr(connection.tenant, "name", "Heartwood")
    link = current_organisation_url(reverse("reflections:notification_open", args=[notification.pk]))
    try:
        send_mail(
            f"Heartwood: {notification.actor.get_full_name()} {notification.get_kind_display()}",
            f"Hello {notification.recipient.get_short_name()},\n\n"
            f"{notification.actor.get_full_name()} {notification.get_kind_display()} on Heartwood ({organisation}).\n\n"
            f"Sign in to see it:\n{link}\n\n"
            "We never put what people write in emails: journals stay inside Heartwood.\n",
            None,
            [notification.recipient.email],
        )
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc
