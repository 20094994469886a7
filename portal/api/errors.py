"""One error format for every 4xx of the API:

{"error": {"code": "invalid", "message": "…translated…", "fields": {"name": ["…"]}}}
"""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _codes(detail):
    if isinstance(detail, dict):
        return {key: _codes(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_codes(item) for item in detail]
    return str(detail)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = {
            "code": "invalid",
            "message": str(exceptions.ValidationError.default_detail),
            "fields": _codes(detail),
        }
    else:
        detail = getattr(exc, "detail", None)
        body = {
            "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
            "message": str(detail) if detail is not None else str(exc),
        }
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["retry_after"] = int(exc.wait)
    response.data = {"error": body}
    return response
