"""Celery tasks of the journal. They take ids, never journal text, and run in the organisation they were sent
from (tenant-schemas-celery)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.urls import reverse


def _absolute(path: str) -> str:
    domain = connection.tenant.get_primary_domain()
    host = domain.domain if domain else settings.BASE_DOMAIN
    if settings.SITE_PORT:
        host = f"{host}:{settings.SITE_PORT}"
    return f"{settings.SITE_SCHEME}://{host}{path}"


@shared_task(ignore_result=True)
def notification_email_send(notification_id: int) -> None:
    """Tell someone there is something new for them, with a link and no content (not even a title)."""
    from .models import Notification

    notification = (
        Notification.objects.filter(pk=notification_id, recipient__is_active=True)
        .select_related("recipient", "actor").first()
    )
    if notification is None:
        return  # unshared, deleted or the account went in the meantime
    organisation = getattr(connection.tenant, "name", "Heartwood")
    send_mail(
        f"Heartwood: {notification.actor.get_full_name()} {notification.get_kind_display()}",
        f"Hello {notification.recipient.get_short_name()},\n\n"
        f"{notification.actor.get_full_name()} {notification.get_kind_display()} on Heartwood ({organisation}).\n\n"
        f"Sign in to see it:\n{_absolute(reverse('reflections:notification_open', args=[notification.pk]))}\n\n"
        "We never put what people write in emails: journals stay inside Heartwood.\n",
        None,
        [notification.recipient.email],
    )
