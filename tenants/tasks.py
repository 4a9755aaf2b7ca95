"""Background work of the platform itself (public schema)."""

from __future__ import annotations

from celery import shared_task

from .services import spare_pool_refill


# public_ok: spares are made from the public schema (config.celery_task.HeartwoodTask refuses public otherwise).
@shared_task(name="tenants.spare_pool_refill", public_ok=True)
def spare_pool_refill_task() -> int:
    """Top the pool of ready spare schemas back up (queued after each claim, and by beat)."""
    return spare_pool_refill()
