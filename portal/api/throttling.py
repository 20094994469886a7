"""Throttling per partner token (per user for sessions, per address for anonymous calls),
counted in the shared cache (Redis), so every worker sees the same counts. A quota, not a
security barrier (DRF's own words): it answers 429 with Retry-After.

While the shared cache is down (portal.cache.ResilientRedisCache.is_down), counts are kept
per process instead, so a client still meets a limit (the same rate, per worker process)."""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from portal.security import client_ip

from .permissions import request_token

logger = logging.getLogger(__name__)

# The per-process fallback: this process's counts only, used while the shared cache is down.
local_counts = LocMemCache("api-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})
_fallback_logged_at = 0.0


def _shared_cache_down() -> bool:
    is_down = getattr(cache, "is_down", None)
    return bool(is_down and is_down())


def _count(store, key: str, period: int) -> int:
    """One more call in the window `key`: the new count."""
    if hasattr(store, "count_in_window"):  # Redis: one round trip (portal/cache.py)
        count = store.count_in_window(key, period + 1)
        if count is not None:
            return count
    if store.add(key, 1, timeout=period + 1):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr (or the cache went down)
        store.add(key, 1, timeout=period + 1)
        return 1


def _fallback_store():
    global _fallback_logged_at
    now = time.monotonic()
    if now - _fallback_logged_at > 60:
        _fallback_logged_at = now
        logger.warning("API throttling counts per process: the shared cache is down")
    return local_counts


class PartnerRateThrottle(BaseThrottle):
    """Rates from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: `token`, `user`, `anon`."""

    def _rate(self, kind: str) -> tuple[int, int] | None:
        # Read at every request (not at import) so that settings overrides apply.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(kind)
        if not rate:
            return None
        count, period = rate.split("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
        return int(count), seconds

    def allow_request(self, request, view):
        token = request_token(request)
        if token is not None:
            kind, ident = "token", f"t{token.pk}"
        elif request.user and request.user.is_authenticated:
            kind, ident = "user", f"u{request.user.pk}"
        else:
            kind, ident = "anon", f"a{self.get_ident(request)}"
        rate = self._rate(kind)
        if rate is None:
            return True
        limit, period = rate
        # Fixed window: one INCR per request, the key expiring with the window.
        window = int(time.time() // period)
        key = f"api-throttle:{ident}:{period}:{window}"
        if _shared_cache_down():
            count = _count(_fallback_store(), key, period)
        else:
            count = _count(cache, key, period)
            if _shared_cache_down():  # it failed during this call: count here instead
                count = _count(_fallback_store(), key, period)
        self._wait = (window + 1) * period - time.time()
        return count <= limit

    def get_ident(self, request):
        # The address our trusted proxies saw, never the client's own X-Forwarded-For.
        return client_ip(request)

    def wait(self):
        return max(1, int(self._wait + 0.999))
