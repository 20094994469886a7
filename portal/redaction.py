"""A safety net for the logs: e-mail addresses, signed tokens and secret links are masked.

The rule is not to log them at all (docs/decisions/0008-no-personal-data-in-queues.md); this
filter catches what third-party code (Django's request logger, django-axes, Celery) or a
careless message would otherwise write. It sits on the handlers (settings.LOGGING, and the
Celery worker's handlers in portal/celery.py), so every record passes through it.
"""

import logging
import re

REDACTED = "[redacted]"

_PATTERNS = [
    re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    # Secret path segments: e-mail verification and password-reset links.
    re.compile(r"(?<=/verify/)[^/\s\"']+"),
    re.compile(r"(?<=/password-reset/)(?!sent/|complete/)[^\s\"']+"),
    re.compile(r"(?<=/reset/)[^\s\"']+"),
    # django.core.signing values (payload:timestamp:signature) and partner API tokens.
    re.compile(r"\.?[\w-]{8,}:[\w-]{4,}:[\w-]{16,}"),
    re.compile(r"\bjsr_[\w-]+"),  # partners.services.TOKEN_KEYWORD
    re.compile(r"(?i)(?<=bearer )\S+"),
]


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and its traceback text) with `redact`; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes names the client in its log lines; by default with the typed username (an
    e-mail address), the IP address and the browser. We log where, never who."""
    return f"a client on {path_info}"
