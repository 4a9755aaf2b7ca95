"""A worker must outlive a Redis outage. Celery 5.7.0 with kombu 5.7.0 did not: on losing the broker, the consumer
first collects the connection (which lets go of its transport) and then closes it; closing the channel tries to
put the worker's unacknowledged messages (late acks: every task in progress) back on their queue, finds no
transport to connect with and raises AttributeError, which Celery treats as unrecoverable: the worker exits
("Unrecoverable error: AttributeError(\"'NoneType' object has no attribute 'hostname'\")", measured by
bench/faults.py with Redis stopped under load).

Those messages need nothing from the closing channel: they are in Redis's unacked set already, and come back to a
queue once the visibility timeout passes (and the work they carried is relayed from the database meanwhile). So a
channel whose transport was collected leaves them there, and the consumer reconnects when Redis returns.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.transport import redis as kombu_redis

logger = logging.getLogger(__name__)
_restore_unacked = kombu_redis.QoS.restore_unacked


def _restore_unacked_unless_collected(self: kombu_redis.QoS, client: Any = None) -> Any:
    if client is None and getattr(self.channel.connection, "client", None) is None:
        logger.warning("Broker connection gone: %s unacknowledged message(s) wait in Redis for the visibility "
                       "timeout", len(self._delivered))
        return None
    return _restore_unacked(self, client)


def install() -> None:
    kombu_redis.QoS.restore_unacked = _restore_unacked_unless_collected
