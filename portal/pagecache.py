"""Anonymous public pages served from the cache, invalidated by what changes them (decision 0022).

`public_page(view)` wraps a view where it is routed. For an anonymous visitor without a session
the page is kept in the default cache under its URL (query string included) and its language,
with the **generations** it was made for: `global` (reference labels: territories, skills,
sectors), plus the page's region (`region:<code>`, from the URL's `code`) or, for a page about
every region, `all` — which every region's change moves too. One round trip to Redis reads the
current generations and the stored copy; a copy made for other generations is a miss. The apps
that own the data move them with `public_pages_changed(...)` after their change commits
(regions/pagecache.py connects it to the writes and to the domain events), so the next anonymous
GET renders the new state. A timer
(`PUBLIC_PAGE_CACHE_SECONDS`) only bounds what no write announces: the date the page was made
for, and a bump lost while Redis was unreachable.

The cached copy is the page without the visitor's CSRF token: the token of the language form is
replaced by a placeholder before storing and by the visitor's own token when served, and nothing
else of the response is kept (no cookie, no header but its content type). Signed-in visitors, a
session or a messages cookie, a request with credentials: the view runs as before, uncached.

ETag: a digest of the generations, the language, the URL, the time bucket and the visitor's CSRF
secret (their copy holds their token), so If-None-Match is answered 304 before any rendering.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

GLOBAL = "global"
ALL = "all"
# Cookies that do not change what an anonymous visitor sees (the language is in the URL; the
# CSRF token is put back per visitor). Any other cookie — a session, pending messages — skips the cache.
NEUTRAL_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})
# Longer query strings are served uncached: a flood of made-up filters cannot fill the cache.
MAX_QUERY_STRING = 256
PLACEHOLDER = b"@@jusur-csrf-token@@"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_GENERATION_KEY = "pagecache:gen:{}"
PAGE_KEY = "pagecache:page:{}"


def region_scope(code: str) -> str:
    return f"region:{code}"


def timeout() -> int:
    """Seconds a copy is kept (0: the cache is off)."""
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0))


def _bump(scopes: tuple[str, ...]) -> None:
    for scope in scopes:
        key = _GENERATION_KEY.format(scope)
        try:
            cache.incr(key)
        except ValueError:  # never set, or evicted: a fresh start never reuses an old number
            cache.add(key, time.time_ns(), timeout=None)
        except Exception:  # noqa: BLE001 - Redis down: the page timer bounds what this loses
            return


def public_pages_changed(*scopes: str) -> None:
    """The pages showing `scopes` (GLOBAL, or region_scope(code)) must be rendered anew once the
    current transaction commits (at once outside one). A region's change moves ALL too: the
    lists of every region show it. Bumping before the commit would let a request still reading
    the old rows store them under the new generation."""
    targets = tuple(dict.fromkeys((*scopes, *((ALL,) if any(s != GLOBAL for s in scopes) else ()))))
    transaction.on_commit(lambda: _bump(targets), robust=True)


def generations_and_copy(scope: str, page_key: str) -> tuple[list[int], object] | None:
    """The current generations of GLOBAL and `scope`, and the stored copy of the page, in one
    round trip to Redis. The copy is keyed without the generations and carries those it was made
    for: a copy made before a change no longer matches, whoever stored it last."""
    keys = [_GENERATION_KEY.format(GLOBAL), _GENERATION_KEY.format(scope)]
    found = cache.get_many([*keys, page_key])
    if not all(key in found for key in keys):
        for key in keys:
            if key not in found:
                cache.add(key, time.time_ns(), timeout=None)
        found = cache.get_many(keys)
        if not all(key in found for key in keys):  # the cache does not answer: serve uncached
            return None
    return [found[key] for key in keys], found.get(page_key)


def _cacheable(request) -> bool:
    if request.method != "GET" or timeout() <= 0:
        return False
    if "HTTP_AUTHORIZATION" in request.META or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    if any(name not in NEUTRAL_COOKIES for name in request.COOKIES):
        return False
    # No session cookie, so this reads nothing; kept for a user set by other means.
    return not request.user.is_authenticated


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "added_new", False))


def _finish(request, response, etag: str, state: str):
    response["ETag"] = etag
    # The copy holds this visitor's CSRF token: no shared cache keeps it; revalidate each time.
    response["Cache-Control"] = "private, no-cache"
    response["X-Page-Cache"] = state
    patch_vary_headers(response, ("Cookie",))
    return response


def public_page(view):
    """Serve `view` from the page cache to anonymous visitors (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        scope = region_scope(kwargs["code"]) if "code" in kwargs else ALL
        bucket = int(time.time() // timeout())
        page = f"{scope}|{get_language()}|{bucket}|{request.build_absolute_uri()}"
        key = PAGE_KEY.format(hashlib.sha256(page.encode()).hexdigest())
        looked_up = generations_and_copy(scope, key)
        if looked_up is None:
            return view(request, *args, **kwargs)
        generations, stored = looked_up
        token = get_token(request)  # the visitor's, set (or refreshed) in a cookie by the middleware
        secret = request.META["CSRF_COOKIE"]
        etag = '"{}"'.format(hashlib.sha256(f"{generations}|{page}|{secret}".encode()).hexdigest()[:32])
        if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            return _finish(request, HttpResponseNotModified(), etag, "not-modified")
        if stored is not None and stored[0] == generations:
            _generations, content, content_type = stored
            response = HttpResponse(content.replace(PLACEHOLDER, token.encode()), content_type=content_type)
            return _finish(request, response, etag, "hit")
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if not _storable(request, response):
            return response
        content = _CSRF_INPUT.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
        if secret.encode() not in content:  # belt and braces: the secret itself is never rendered
            cache.set(key, (generations, content, response["Content-Type"]), timeout=timeout())
        return _finish(request, response, etag, "miss")

    return wrapped
