"""The feedback beat: `tenants.fan_out` runs `feedback.rounds_tick` in every active organisation's schema."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from . import engine
from .pulse.services import pulse_tick
from .threesixty.emails import threesixty_tick

logger = logging.getLogger(__name__)


@shared_task(name="feedback.rounds_tick", relayed=True)
def rounds_tick() -> dict[str, int]:
    """Close every round whose time is up (freezing its results), then each instrument's own beat."""
    now = timezone.now()
    done = {"closed": 0}
    for round_ in engine.rounds_due_to_close(now):
        engine.round_close(round_=round_, at=now)
        done["closed"] += 1
    done |= pulse_tick(now=now)  # the pulse's own beat: due rounds open, the emails and the one reminder go
    done |= threesixty_tick(now)  # the 360's asks by email, relayed if never queued, and its one reminder
    return done
