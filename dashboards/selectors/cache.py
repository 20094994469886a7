"""The dashboards' cache: a version number bumped by any change, a staleness bound, a TTL."""

from __future__ import annotations

import contextvars
import time

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "dashboards:version"
# Short: a bulk write (the matching engine's bulk_create) sends no signal; the beat task
# `dashboards.cache_refresh` recomputes the unfiltered dashboards more often than this.
CACHE_TTL = 600
LABELS_TTL = 24 * 3600


def conf(name: str, default):
    return getattr(settings, "JUSUR_DASHBOARDS", {}).get(name, default)


def cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def cache_invalidate() -> None:
    """Make every cached aggregate stale (called on changes and by the refresh task)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


# The refresh task sets 0 here, so that it recomputes whatever the age of the entry.
STALENESS_OVERRIDE: contextvars.ContextVar[float | None] = contextvars.ContextVar("staleness", default=None)


def max_staleness() -> float:
    """Seconds a figure computed before the latest change may still be served: under a steady
    stream of edits a dashboard is recomputed at most this often instead of on every request."""
    override = STALENESS_OVERRIDE.get()
    return override if override is not None else float(conf("max_staleness", 60))


def cached(key: str, compute, *, ttl: int = CACHE_TTL):
    """`compute()` through the cache: fresh if computed at the current version, or recent enough."""
    version = cache_version()
    full_key = f"dashboards:{key}"
    entry = cache.get(full_key)
    now = time.time()
    if entry is not None and (entry[0] == version or now - entry[1] < max_staleness()):
        return entry[2]
    value = compute()
    cache.set(full_key, (version, now, value), ttl)
    return value
