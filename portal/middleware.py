from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language_from_path, get_language_from_request, override
from django.utils.translation import gettext as _

from .body_limits import max_body_bytes


class RejectNulBytesMiddleware:
    """PostgreSQL refuses NUL characters in text, so a NUL in a query parameter or form field
    would surface as a 500 deep in a query. Refuse such a request up front with a clear 400
    (in the API's error format under /api/, as the site's translated page elsewhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for query in (request.GET, request.POST if request.method == "POST" else QueryDict()):
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        if request.path.startswith("/api/"):
            message = _("The request contains a NUL character, which cannot be processed.")
            return JsonResponse({"error": {"code": "invalid", "message": message}}, status=400)
        return render(request, "400.html", status=400)


class LimitRequestBodyMiddleware:
    """Refuse a body larger than its view accepts (portal.body_limits) from its Content-Length,
    before anything reads it: 413, in the API's error format under /api/, as the site's
    translated page elsewhere. Must come before every middleware that touches request.POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if declared or chunked:
            limit = max_body_bytes(request.path_info)
            try:
                size = int(declared) if declared else None
            except ValueError:
                size = None
            # A length that is absent (chunked), unreadable or over the limit: refused unread.
            if size is None or size > limit:
                return self._refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, limit: int):
        language = get_language_from_path(request.path_info) or get_language_from_request(request)
        with override(language):
            if request.path.startswith("/api/"):
                message = _("The request body is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
                response = JsonResponse({"error": {"code": "too_large", "message": message}}, status=413)
            else:
                response = render(request, "413.html", {"limit": limit}, status=413)
        return response


class ResponseHeadersMiddleware:
    """Headers every response carries, and `no-store` where a response may hold personal data.

    Cache-Control: a page seen by a signed-in user, every API answer (partners' tokens are
    checked inside the API views, after this middleware has run) and the privacy centre are
    never kept by the browser or a shared cache. Permissions-Policy: the portal uses no camera,
    microphone, location or payment API, so no page (nor anything injected into one) may."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.JUSUR_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or request.path.startswith("/api/")
            or "/privacy/" in request.path
        ):
            add_never_cache_headers(response)
        return response
