"""The worker outlives Redis going away with tasks in progress (config/celery_fixes.py). Against a real redis-server
stopped with a message delivered and not yet acknowledged (late acks): closing the channel after its transport was
let go raised AttributeError, which Celery 5.7 treats as unrecoverable (the worker exited under bench/faults.py's
Redis stop); with the fix the message waits in Redis's unacked set, and is there when Redis is back."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
import redis
from kombu import Connection, Exchange, Queue

import config.celery_app  # noqa: F401  (installs the fix, as the worker does)
from config.embedded import EmbeddedRedis


class PersistedRedis(EmbeddedRedis):
    """Persisted as production's (docker-compose.yml) and the load stack's: a stop and start keeps what was there."""

    persistence = ("--save", "", "--appendonly", "yes", "--appendfsync", "always")


@pytest.fixture
def own_redis() -> Iterator[EmbeddedRedis]:
    server = PersistedRedis(name=f"redis-broker-loss-tests/{os.getpid()}")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


def test_losing_redis_with_an_unacknowledged_message_closes_cleanly_and_keeps_the_message(own_redis):
    url = f"{own_redis.url}/1"
    connection = Connection(url, transport_options={"visibility_timeout": 3600})
    queue = Queue("broker-loss", Exchange("broker-loss"), "broker-loss")
    channel = connection.default_channel
    connection.Producer(channel).publish({"task": "work"}, exchange=queue.exchange, routing_key="broker-loss",
                                         declare=[queue])
    received = []
    consumer = connection.Consumer(queue, channel=channel, callbacks=[lambda body, message: received.append(body)])
    consumer.consume()
    connection.drain_events(timeout=5)
    assert received == [{"task": "work"}] and channel.qos._delivered  # in progress, not acknowledged

    own_redis.stop()
    # The state the worker's log shows at its crash: the consumer's collect has let go of the transport under the
    # channel (kombu's Connection._do_close_transport) while the channel, holding the unacknowledged message, is
    # still open; Celery then closes the connection, which closes that channel.
    channel.connection.client = None
    connection.close()  # raised AttributeError ('NoneType' object has no attribute 'hostname') without the fix

    own_redis.start()  # same port
    assert redis.Redis.from_url(url).hlen("unacked") == 1  # back to a queue after the visibility timeout
