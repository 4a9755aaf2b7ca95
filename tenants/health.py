"""What `/healthz` reports: can we reach the database, Redis and at least one Celery worker."""

from __future__ import annotations

import time
from collections.abc import Callable

from celery import current_app
from django.core.cache import cache
from django.db import connection


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "reachable"


def _redis() -> str:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("Redis did not return what was written")
    return "reachable"


def _celery() -> str:
    replies = current_app.control.ping(timeout=1.0, limit=1)
    if not replies:
        raise RuntimeError("no worker answered")
    return f"{len(replies)} worker(s)"


def _run(check: Callable[[], str]) -> dict[str, object]:
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except Exception as exc:  # a health check reports every failure, it never raises
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_all() -> dict[str, dict[str, object]]:
    return {"database": _run(_database), "redis": _run(_redis), "celery": _run(_celery)}
