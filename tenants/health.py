"""Health, split the way orchestrators and load balancers expect.

- Liveness (`/livez`, and `/healthz` for probes set up before the split): the process is up and answering. No
  database, no Redis: a restart would not fix either, so they must not make an orchestrator kill the web tier.
- Readiness (`/readyz`): this web process can serve pages, i.e. reach PostgreSQL and Redis. 200 or 503, naming
  only which check failed; the exception goes to the log, never into the public answer.
- The Celery workers are not part of either: a stopped worker delays emails, it does not stop pages. Their state
  is on the operator console (`worker_states`), where operators look.

The probes are answered by `tenants.middleware.ProbeMiddleware` before host routing and host validation, so a
probe by IP address (`Host: 10.0.0.5:8000`) gets a real answer rather than a 400.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import redis
from celery import current_app
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

# Seconds a readiness check may wait for PostgreSQL or Redis, and the console for the workers' replies.
CHECK_TIMEOUT = 1.0


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # a probe reports every failure; the detail belongs in the log
        logger.exception("Readiness: the database is unreachable")
        return False
    return True


def redis_reachable() -> bool:
    # A short-lived client with its own timeouts: the cache's client would wait as long as the OS lets it.
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_connect_timeout=CHECK_TIMEOUT,
                                  socket_timeout=CHECK_TIMEOUT)
    try:
        return bool(client.ping())
    except Exception:
        logger.exception("Readiness: Redis is unreachable")
        return False
    finally:
        client.close()


def readiness() -> dict[str, bool]:
    return {"database": database_reachable(), "redis": redis_reachable()}


@dataclass(frozen=True)
class WorkerStates:
    workers: list[str]  # the names of the workers that answered
    broker_reachable: bool
    waited_ms: float


def worker_states() -> WorkerStates:
    """Ask every Celery worker to answer within CHECK_TIMEOUT (for the operator console, never for a probe)."""
    started = time.perf_counter()
    try:
        replies = current_app.control.ping(timeout=CHECK_TIMEOUT)
    except Exception:
        logger.exception("Console: could not ask the Celery workers (broker unreachable?)")
        return WorkerStates(workers=[], broker_reachable=False,
                            waited_ms=round((time.perf_counter() - started) * 1000, 1))
    names = sorted(name for reply in replies for name in reply)
    return WorkerStates(workers=names, broker_reachable=True,
                        waited_ms=round((time.perf_counter() - started) * 1000, 1))
