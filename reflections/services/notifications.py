"""In-app notices about entries, and the emails that go with them (ids only, never journal text)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from people.models import User

from ..models import (
    JournalEntry,
    Notification,
)


def notification_create(*, recipient: User, actor: User, entry: JournalEntry, kind: str) -> Notification:
    """An in-app notice. The author also gets an email (ids only, no content) queued after commit; a mentor
    hears about it in their digest instead of one email per event (reflections.digests). The row records the
    email, so one that could not be queued (Redis down) is sent by the relay in reflections.prompt_tasks."""
    # Nobody without an email address gets one: their notices are in Heartwood only.
    email_due = recipient.pk == entry.author_id and recipient.has_email
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, entry=entry, kind=kind, email_due=email_due
    )
    if email_due:
        from ..tasks import notification_email_send

        transaction.on_commit(lambda: notification_email_send.delay(notification.pk))
    return notification


def notifications_mark_read_for_entry(*, user: User, entry: JournalEntry) -> int:
    return Notification.objects.filter(recipient=user, entry=entry, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())

