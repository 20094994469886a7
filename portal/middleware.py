import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import metrics, twofactor
from .body_limits import max_body_bytes
from .i18n import request_language
from .logs import REQUEST_ID_HEADER, context_bind, context_reset, request_id_accept
from .permissions import needs_strong_authentication, privilege_fingerprint
from .redaction import redact

request_logger = logging.getLogger("jusur.request")


class RequestContextMiddleware:
    """First in the chain: gives every request an id (the proxy's X-Request-ID when it is a
    sane one, else a new one), echoed in the response's X-Request-ID; binds it to every log
    record written while the request runs (portal/logs.py); and, once the answer is ready, writes
    one `jusur.request` line and observes the request's latency per view (portal/metrics.py).

    The line names the path without its query string (search terms, tokens) and the user by
    primary key only; the path itself is redacted (e-mail verification and reset links)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_accept(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = context_bind(request_id=request_id, request=request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response.headers[REQUEST_ID_HEADER] = request_id
            match = request.resolver_match
            view = match.view_name if match is not None else ""
            metrics.request_observe(view=view, method=request.method, status=response.status_code, seconds=duration)
            request_logger.info(
                "%s %s %s",
                request.method,
                redact(request.path),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": redact(request.path),
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
            return response
        finally:
            context_reset(token)


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


class AccountSecurityMiddleware:
    """Session rules for signed-in users, checked before every view:

    - privileges changed since the session began (role, staff) → new session key;
    - officials, coordinators and staff: signed out after JUSUR_STRICT_SESSION_IDLE seconds
      without a request or JUSUR_STRICT_SESSION_MAX_AGE seconds after signing in;
    - a second factor is owed → only the two-factor pages, sign-out and the language switch
      answer; pages redirect to the second step, and the API treats the session as anonymous.

    The state lives in the session (portal.twofactor), so this costs no query.
    """

    ALLOWED_VIEWS = frozenset({"two_factor_verify", "two_factor_setup", "logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        session = request.session
        if session.get(twofactor.PRIVILEGE) != privilege_fingerprint(user):
            twofactor.session_privilege_changed(request=request, user=user)
        if needs_strong_authentication(user) and self._expired(session):
            logout(request)
            if self._is_api(request):
                return None  # continues as anonymous: the API answers 401/403 in its own format
            messages.info(request, _("Your session has ended. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        step = twofactor.session_pending_step(request)
        if step and request.resolver_match.view_name not in self.ALLOWED_VIEWS:
            if self._is_api(request):
                request.user = AnonymousUser()
                return None
            return redirect(f"{reverse(f'two_factor_{step}')}?{urlencode({'next': request.get_full_path()})}")
        return None

    @staticmethod
    def _expired(session) -> bool:
        now = int(time.time())
        seen_at = session.get(twofactor.SEEN_AT) or now
        auth_at = session.get(twofactor.AUTH_AT) or now
        if now - seen_at > settings.JUSUR_STRICT_SESSION_IDLE or now - auth_at > settings.JUSUR_STRICT_SESSION_MAX_AGE:
            return True
        if now - seen_at >= twofactor.SEEN_RESOLUTION or twofactor.SEEN_AT not in session:
            session[twofactor.SEEN_AT] = now
        session.setdefault(twofactor.AUTH_AT, auth_at)
        return False

    @staticmethod
    def _is_api(request) -> bool:
        return request.path_info.startswith("/api/")


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
        with override(request_language(request)):
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
