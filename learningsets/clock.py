"""The organisation's time zone: meetings are booked, shown, reminded about and put in calendars in it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection
from django.utils import timezone


def organisation_zone() -> ZoneInfo:
    name = getattr(connection.tenant, "time_zone", None) or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def in_organisation_time(view: Callable[..., Any]) -> Callable[..., Any]:
    """Dates and times on the page (and read from its forms) are the organisation's local ones."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with timezone.override(organisation_zone()):
            response = view(*args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    return wrapped
