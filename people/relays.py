"""What every database relay shares, once (people is the base app: every other app and config may import it).

An email or task that must not be lost is a row first; the message that sends it is queued after. When the broker
cannot be reached the row waits, and a periodic relay queues it again. Two rules make that work:

- BROKER_UNREACHABLE: the errors that mean Redis (the broker) could not take a message. A relayed task
  (config.celery_task.HeartwoodTask, `relayed=True`) logs them instead of failing the request; a view that keeps
  nothing to relay catches them to say "try again" rather than answer 500.
- RELAY_AFTER: a row queued less than this long ago is left to the message already in flight, so a relay never
  sends what is on its way.
"""

from __future__ import annotations

from datetime import timedelta

from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

BROKER_UNREACHABLE = (OperationalError, RedisConnectionError)
RELAY_AFTER = timedelta(minutes=2)
