"""Partner API lists served from the cache, per token (decision 0022).

`TokenCachedListMixin` on a list viewset: a call made with a partner token gets the page of
results stored for that very token (its id, region and scopes are in the key: nothing is shared
between tokens), its language and its address, made for the current generations of the page
cache (portal/pagecache.py) — `all` and `global`, which every change to the data these lists
show moves. Authentication, scopes and throttling run before `list()` as on any call, so a
revoked token or an exhausted rate is refused as before. ETag and If-None-Match as on the pages:
a 304 reads no row.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language
from rest_framework import status
from rest_framework.response import Response

from portal.pagecache import ALL, PAGE_KEY, generations_and_copy, timeout

from .permissions import request_token


class TokenCachedListMixin:
    def list(self, request, *args, **kwargs):
        token = request_token(request)
        if token is None or timeout() <= 0:
            return super().list(request, *args, **kwargs)
        bucket = int(time.time() // timeout())
        scopes = ",".join(sorted(token.scopes))
        page = f"api|{token.pk}|{token.region_id}|{scopes}|{get_language()}|{bucket}|{request.build_absolute_uri()}"
        key = PAGE_KEY.format(hashlib.sha256(page.encode()).hexdigest())
        looked_up = generations_and_copy(ALL, key)
        if looked_up is None:
            return super().list(request, *args, **kwargs)
        generations, stored = looked_up
        etag = '"{}"'.format(hashlib.sha256(f"{generations}|{page}".encode()).hexdigest()[:32])
        if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            return self._cached(Response(status=status.HTTP_304_NOT_MODIFIED), etag, "not-modified")
        if stored is not None and stored[0] == generations:
            return self._cached(Response(stored[1]), etag, "hit")
        response = super().list(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            cache.set(key, (generations, response.data), timeout=timeout())
        return self._cached(response, etag, "miss")

    @staticmethod
    def _cached(response, etag: str, state: str):
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        response["X-Page-Cache"] = state
        patch_vary_headers(response, ("Authorization", "Accept-Language"))
        return response
