"""A person's notices."""

from __future__ import annotations

from django.db.models import QuerySet

from people.models import User

from ..models import (
    Notification,
)
from .visibility import real_user


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")


def unread_notification_count(user: User) -> int:
    if not real_user(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

