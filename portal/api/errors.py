"""One error format for every 4xx of the API:

{"error": {"code": "invalid", "message": "…translated…", "fields": {"name": ["…"]}}}

DRF's own messages (401, 403, 404, 405, 406, 415, 429) are translated by DRF's catalogues;
ours live in partners/locale. 429 answers also carry `retry_after` (seconds) and the
Retry-After header.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from .renderers import unencodable_replaced


def _codes(detail):
    if isinstance(detail, dict):
        return {str(key): _codes(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_codes(item) for item in detail]
    return str(detail)


def _flatten(messages) -> list[str]:
    # Field errors of nested structures (lists of objects) are kept as their messages.
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _flatten(value)]
    if isinstance(messages, list):
        return [text for item in messages for text in _flatten(item)]
    return [str(messages)]


def exception_handler(exc, context):
    # Django's own 404/403 carry no code (and a 404's text names the model): use DRF's.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = {
            "code": "invalid",
            "message": str(exceptions.ValidationError.default_detail),
            "fields": {key: _flatten(value) for key, value in _codes(detail).items()},
        }
    else:
        detail = getattr(exc, "detail", None)
        body = {
            "code": str(getattr(detail, "code", None) or getattr(exc, "default_code", "error")),
            "message": str(detail) if detail is not None else str(exc),
        }
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["retry_after"] = int(exc.wait)
    # DRF's "… is not a valid choice" echoes the input, which may hold a lone surrogate.
    response.data = {"error": unencodable_replaced(body)}
    return response


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, not_authenticated, …")
    message = serializers.CharField(help_text="Human-readable, in the language of Accept-Language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors by field (400 only).",
    )
    retry_after = serializers.IntegerField(required=False, help_text="Seconds to wait (429 only).")


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    error = ErrorBodySerializer()
