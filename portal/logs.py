"""Structured logs (issue 15): one JSON object per line in production, each carrying the id of
the request (or task) it belongs to and the signed-in user's primary key — never an e-mail
address or a name (decision 0008).

- `RequestContextMiddleware` (portal/middleware.py) binds the request id for the length of a
  request and writes one `jusur.request` line when it ends (method, path, view, status,
  duration in ms).
- `ContextFilter` copies the bound request id and user id onto every record, whoever logs it.
- `JsonLinesFormatter` (python-json-logger) writes the line; every string in it goes through
  portal.redaction once more, because the fields we add (the path) are not part of the message
  that RedactingFilter cleans, and the library formats tracebacks itself.
- A Celery task queued during a request carries the request id in a message header and logs
  with it (the outbox relay publishes later, outside any request: those tasks get their own).
"""

import contextvars
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter

from .redaction import redact

REQUEST_ID_HEADER = "X-Request-ID"
# What nginx's $request_id (32 hex digits), a UUID or most tracing ids look like; anything else
# from the outside (too long, spaces, quotes, an e-mail address) is replaced by our own id.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_TASK_HEADER = "jusur_request_id"


@dataclass
class _Context:
    request_id: str
    request: Any = None  # the HttpRequest, read for its user only once authentication has run


_current: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("jusur_log_context", default=None)


def request_id_accept(header_value: str | None) -> str:
    """The proxy's id when it looks like one, else a new one."""
    if header_value and _SANE_REQUEST_ID.match(header_value):
        return header_value
    return uuid.uuid4().hex


def context_bind(*, request_id: str, request=None) -> contextvars.Token:
    return _current.set(_Context(request_id=request_id, request=request))


def context_reset(token: contextvars.Token) -> None:
    _current.reset(token)


def current_request_id() -> str | None:
    context = _current.get()
    return context.request_id if context else None


def request_user_id(request) -> int | None:
    """The signed-in user's primary key, without running a query to find out: a user nobody
    looked at yet (AuthenticationMiddleware's lazy object) is left unread."""
    user = getattr(request, "__dict__", {}).get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class ContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record logged inside a request or a task."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is not None:
            if not hasattr(record, "request_id"):
                record.request_id = context.request_id
            if not hasattr(record, "user_id") and context.request is not None:
                user_id = request_user_id(context.request)
                if user_id is not None:
                    record.user_id = user_id
        return True


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    # Any other object would be written as its str() by the encoder, after this point.
    return redact(str(value))


class JsonLinesFormatter(JsonFormatter):
    """`{"time", "level", "logger", "message", …extra fields}` on one line, redacted."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(["levelname", "name", "message"], *args, **kwargs)

    def process_log_record(self, log_data: dict) -> dict:
        # Django's request loggers pass the request itself: its repr holds the query string.
        # The request line of RequestContextMiddleware already says which request it was.
        return {key: _redact_value(value) for key, value in log_data.items() if not isinstance(value, HttpRequest)}


# --- Celery: the request id travels with the task --------------------------------------------


def _task_publish(headers=None, **kwargs):
    request_id = current_request_id()
    if headers is not None and request_id and _TASK_HEADER not in headers:
        headers[_TASK_HEADER] = request_id


def _task_start(task_id=None, task=None, **kwargs):
    if task is None or task.request.is_eager:
        # Run in-process (development without Redis, tests): the caller's context applies.
        return
    request_id = getattr(task.request, _TASK_HEADER, None)
    task.request.jusur_log_token = context_bind(request_id=request_id_accept(request_id or task_id))


def _task_end(task=None, **kwargs):
    token = getattr(task.request, "jusur_log_token", None) if task is not None else None
    if token is not None:
        context_reset(token)
        task.request.jusur_log_token = None


def _worker_handlers_format(logger=None, **kwargs):
    """Celery's worker and beat replace settings.LOGGING's handlers with their own (which
    portal/celery.py already redacts): give them the same line format and context."""
    from django.conf import settings

    for handler in logger.handlers if logger is not None else ():
        handler.addFilter(ContextFilter())
        if settings.JUSUR_LOG_FORMAT == "json":
            handler.setFormatter(JsonLinesFormatter())


def celery_signals_connect() -> None:
    from celery.signals import (
        after_setup_logger,
        after_setup_task_logger,
        before_task_publish,
        task_postrun,
        task_prerun,
    )

    after_setup_logger.connect(_worker_handlers_format, dispatch_uid="jusur_logs_worker", weak=False)
    after_setup_task_logger.connect(_worker_handlers_format, dispatch_uid="jusur_logs_worker_task", weak=False)
    before_task_publish.connect(_task_publish, dispatch_uid="jusur_logs_publish", weak=False)
    task_prerun.connect(_task_start, dispatch_uid="jusur_logs_task_start", weak=False)
    task_postrun.connect(_task_end, dispatch_uid="jusur_logs_task_end", weak=False)
