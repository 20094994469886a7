"""Who is asking: the client's address behind our proxies, and how long a sign-in lock lasts.

One rule for the API throttle and for the sign-in lockout (django-axes), so both count the same
client. Behind JUSUR_TRUSTED_PROXIES proxies, each appends the address it received the request
from to X-Forwarded-For; the client is the entry the outermost trusted proxy appended, counted
from the right (DRF's NUM_PROXIES rule). Everything left of it was written by the client and is
ignored: a rotating X-Forwarded-For no longer makes a new client per request. With no trusted
proxy (the default) the header is ignored and the socket's address is the client.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.JUSUR_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: a proxy that does not append, or a forged value
        return remote


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a sign-in attempt names, as axes records it: lower-cased and trimmed, so
    that "Victim@Example.org " and "victim@example.org" share one lock; cut to axes' column
    (255) so that no form, ours or the admin's, can make its log row overflow."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(value, str):
        return None
    return value.strip().lower()[:255]


def login_cool_off(request: HttpRequest | None) -> timedelta:
    """How long failed sign-ins are remembered, and so how long a lock lasts: LOGIN_COOL_OFF_BASE
    for the first lock, doubled for every further AXES_FAILURE_LIMIT failures of the same account
    or address while they are remembered, up to LOGIN_COOL_OFF_MAX. A guesser gets ever fewer
    tries per hour; nobody can lock an account for longer than the maximum after their last try,
    and its owner can always reset the password, which lifts the lock."""
    from axes.models import AccessAttempt  # axes' models are loaded only after settings

    base, ceiling = settings.LOGIN_COOL_OFF_BASE, settings.LOGIN_COOL_OFF_MAX
    if request is None or not hasattr(request, "axes_ip_address"):
        return base
    username = login_username(request, getattr(request, "axes_credentials", None))
    # Failures older than the longest lock are forgotten (records left from before a restart or
    # a change of these settings included).
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - ceiling)
    failures = 0
    for key in ({"username": username} if username else None, {"ip_address": request.axes_ip_address}):
        if key:
            counts = recent.filter(**key).values_list("failures_since_start", flat=True)
            failures = max(failures, sum(counts))
    doublings = max(0, failures // settings.AXES_FAILURE_LIMIT - 1)
    return min(base * 2 ** min(doublings, 16), ceiling)
