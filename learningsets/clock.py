"""The organisation's time zone: meetings are booked, shown, reminded about and put in calendars in it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from reflections.selectors.prompts import organisation_time_zone


def organisation_zone() -> ZoneInfo:
    """The organisation's time zone (the rule lives in reflections: `organisation_time_zone`) as a ZoneInfo."""
    name = organisation_time_zone()
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
