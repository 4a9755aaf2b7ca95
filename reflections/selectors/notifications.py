"""A person's notices."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from people.models import User

from ..models import (
    Notification,
)


def access_notification_by_id(*, user: User, pk: int) -> Notification:
    """A notice addressed to `user`; one 404 for missing and someone else's alike."""
    notification = Notification.objects.filter(pk=pk, recipient=user).first()
    if notification is None:
        raise Http404("No such notice")
    return notification


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")
