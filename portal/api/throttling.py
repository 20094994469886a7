"""Throttling per partner token (per user for sessions, per address for anonymous calls),
counted in the shared cache (Redis), so every worker sees the same counts. A quota, not a
security barrier (DRF's own words): it answers 429 with Retry-After."""

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from portal.security import client_ip

from .permissions import request_token


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
        if cache.add(key, 1, timeout=period + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=period + 1)
                count = 1
        self._wait = (window + 1) * period - time.time()
        return count <= limit

    def get_ident(self, request):
        # The address our trusted proxies saw, never the client's own X-Forwarded-For.
        return client_ip(request)

    def wait(self):
        return max(1, int(self._wait + 0.999))
