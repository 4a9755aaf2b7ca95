"""Supervision's beat: `tenants.fan_out` runs `supervision.tick` in every active organisation's schema every five
minutes (config.settings.base CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from .emails import supervision_tick


@shared_task(name="supervision.tick", relayed=True)
def tick() -> dict[str, int]:
    """Tomorrow's reminders, once each, and the relay of any session email never queued."""
    return supervision_tick()
