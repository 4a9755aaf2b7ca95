"""The feedback beat: `tenants.fan_out` runs `feedback.rounds_tick` in every active organisation's schema."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from . import engine

logger = logging.getLogger(__name__)


@shared_task(name="feedback.rounds_tick", relayed=True)
def rounds_tick() -> dict[str, int]:
    """Close every round whose time is up (freezing its results), then each instrument's own beat."""
    now = timezone.now()
    done = {"closed": 0}
    for round_ in engine.rounds_due_to_close(now):
        engine.round_close(round_=round_, at=now)
        done["closed"] += 1
    return done
