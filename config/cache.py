"""Django's Redis cache, answering as an empty cache while Redis cannot be reached.

Nothing Heartwood keeps in the cache is the only copy of anything: sessions and every record live in PostgreSQL.
The cache holds sign-in rate limits (allauth), the one-minute sign-up handover token and the join-code form's
"added once" key. Django's RedisCache raises when Redis is down, which turned every sign-in into a 500 for as
long as Redis was away. Here a read finds nothing, a write keeps nothing and `add` answers as if first:
rate limits let people through, a handover sends the new admin to the sign-in page, and a join-code form sent
twice may add the person twice. Everything works again, without a restart, as soon as Redis answers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# One warning per process at most this often: a page makes several cache calls, and the load keeps coming.
WARN_EVERY_SECONDS = 10.0
_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("Cache unreachable (%s: %s); answering as an empty cache", operation, exc)


def _or(answer: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the client method; while Redis is unreachable return `answer(*args)` instead."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def wrapped(self: RedisCacheClient, *args: Any) -> Any:
            try:
                return method(self, *args)
            except UNREACHABLE as exc:
                _warn(method.__name__, exc)
                return answer(*args)

        return wrapped

    return decorate


class ForgivingRedisCacheClient(RedisCacheClient):
    add = _or(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _or(lambda key, default: default)(RedisCacheClient.get)
    set = _or(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _or(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _or(lambda key: False)(RedisCacheClient.delete)
    get_many = _or(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _or(lambda key: False)(RedisCacheClient.has_key)
    set_many = _or(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _or(lambda keys: None)(RedisCacheClient.delete_many)
    # incr keeps raising: "add 1 to a number I cannot read" has no honest empty answer.


class ForgivingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
