"""Errors to a Sentry-compatible tracker, only when SENTRY_DSN is set (issue 15; nothing is sent
by default). What leaves the machine is what the logs may hold and no more (decision 0008):

- `send_default_pii=False`: no user e-mail, IP address, cookies or headers that identify;
- no request bodies (forms carry names, CVs, messages) and no local variables of stack frames
  (they hold model instances with personal fields);
- every string of the event (message, exception values, breadcrumbs, URLs) goes through
  portal.redaction, as log lines do; the user is named by primary key only.
"""

from typing import Any

from .redaction import redact


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def before_send(event: dict, hint: dict) -> dict:
    event = _scrub(event)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("query_string", None)  # search terms, tokens
    return event


def before_breadcrumb(crumb: dict, hint: dict) -> dict:
    return _scrub(crumb)


def sentry_options(*, dsn: str, environment: str, release: str) -> dict:
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "dsn": dsn,
        "environment": environment or None,
        "release": release or None,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "before_send": before_send,
        "before_breadcrumb": before_breadcrumb,
        "traces_sample_rate": 0,  # errors only: performance data lives in /metrics
    }


def sentry_init(*, dsn: str, environment: str = "", release: str = "") -> None:
    """Called from settings.py when SENTRY_DSN is set; imported only then (the SDK patches Django)."""
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn=dsn, environment=environment, release=release))
