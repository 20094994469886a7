"""A Redis cache that keeps the site answering when Redis is down (issue 15, item 4).

Django's RedisCache raises on a connection error, so a down Redis turned every cached page and
every throttled API call into a 500. `ResilientRedisCache` turns those errors into misses
(reads) and no-ops (writes), logs a warning at most once per `RETRY_AFTER` seconds (no keys,
no values: they may name people), and then skips Redis for `RETRY_AFTER` seconds (a circuit
breaker), so a down Redis costs one short socket timeout per process and interval, not one per
request. `is_down()` tells the throttle to count per process meanwhile (portal.api.throttling).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Written by the outbox relay, which beat runs every 15 s: /healthz/ready reports its age.
BEAT_TICK_KEY = "healthz:beat-tick"

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


class ResilientRedisCache(RedisCache):
    # Seconds Redis is skipped after a failure; class attribute so tests can shorten it.
    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, exc: Exception) -> None:
        was_up = not self.is_down()
        self._down_until = time.monotonic() + self.RETRY_AFTER
        if was_up:
            logger.warning(
                "Cache unavailable (%s); serving without it for %.0f s", exc.__class__.__name__, self.RETRY_AFTER
            )

    def _guard(self, call, fallback):
        if self.is_down():
            return fallback
        try:
            return call()
        except REDIS_DOWN as exc:
            self._failed(exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)

    def incr(self, key, delta=1, version=None):
        # Unreachable counts as absent: callers already handle the ValueError of a missing key.
        missing = object()
        value = self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if value is missing:
            raise ValueError("Key not available: the cache is down.")
        return value

    def count_in_window(self, key: str, timeout: int) -> int | None:
        """One more in the counter `key`, created to expire after `timeout` seconds: the new
        count, or None while Redis is down. One round trip (SET NX EX and INCR pipelined), where
        add() then incr() took three (SET NX, then EXISTS and INCRBY) on every API call."""

        def call():
            client = self._cache.get_client(key, write=True)
            name = self.make_and_validate_key(key)
            pipeline = client.pipeline(transaction=False)
            pipeline.set(name, 0, ex=timeout, nx=True)
            pipeline.incr(name)
            return pipeline.execute()[1]

        return self._guard(call, None)
