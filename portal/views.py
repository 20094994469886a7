import sys
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import BEAT_TICK_KEY
from .celery import app as celery_app
from .menu import home_url_for
from .models import OutboxMessage


@login_required
def start(request):
    """Where signing in leads (LOGIN_REDIRECT_URL): each role's own home (portal.menu)."""
    return redirect(home_url_for(request.user))


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - any failure is a state to report, not to raise
        return f"down: {exc.__class__.__name__}"
    return "ok"


def _probe_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _probe_cache():
    cache.set("healthz", "1", 5)
    kept = cache.get("healthz") == "1"
    # The resilient cache turns a down Redis into misses; it says so here.
    if getattr(cache, "is_down", lambda: False)():
        raise ConnectionError("cache unreachable")
    if not kept:
        raise RuntimeError("cache did not keep a value")


def _probe_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=2)


def _dependencies() -> dict:
    broker = "in-process" if celery_app.conf.task_always_eager else _check(_probe_broker)
    return {"database": _check(_probe_database), "cache": _check(_probe_cache), "broker": broker}


def _overall(checks: dict) -> tuple[str, int]:
    if checks["database"] != "ok":
        return "down", 503
    states = [check["status"] if isinstance(check, dict) else check for check in checks.values()]
    if any(state not in ("ok", "in-process") for state in states):
        return "degraded", 200
    return "ok", 200


@never_cache
@require_GET
def healthz(request):
    """Database, cache and broker state. 200 while the database answers ("degraded" when the
    cache or the broker is down: requests keep working, the outbox waits); 503 otherwise."""
    checks = _dependencies()
    label, status = _overall(checks)
    return JsonResponse({"status": label, "checks": checks}, status=status)


@never_cache
@require_GET
def healthz_live(request):
    """Liveness: the process answers. No dependency is checked (a restart cures none of them)."""
    return JsonResponse({"status": "ok"})


def _beat_check() -> dict:
    limit = settings.JUSUR_READY_BEAT_MAX_AGE
    tick = cache.get(BEAT_TICK_KEY)
    if tick is None:
        return {"status": "unknown", "last_tick_age": None, "max_age": limit}
    age = max(0, int(time.time() - tick))
    return {"status": "ok" if age <= limit else "stale", "last_tick_age": age, "max_age": limit}


def _outbox_check() -> dict:
    limit = settings.JUSUR_READY_OUTBOX_MAX_AGE
    oldest = (
        OutboxMessage.objects.filter(done_at__isnull=True, failed=False)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    age = None if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))
    status = "ok" if age is None or age <= limit else "late"
    return {"status": status, "oldest_pending_age": age, "max_age": limit}


@never_cache
@require_GET
def healthz_ready(request):
    """Readiness: 503 while the database is down; a down cache or broker, a stale beat or a
    late outbox are reported as "degraded" (200: the site still answers)."""
    checks = _dependencies()
    if checks["database"] == "ok":
        checks["beat"] = _beat_check()
        checks["outbox"] = _outbox_check()
    label, status = _overall(checks)
    return JsonResponse({"status": label, "checks": checks}, status=status)


def server_error(request):
    """handler500. The database being down is not our error but an outage: 503 with
    Retry-After, in the API's error format under /api/, the site's trilingual page elsewhere."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        message = _("The service is temporarily unavailable. Please try again shortly.")
        response = JsonResponse({"error": {"code": "unavailable", "message": message}}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(settings.JUSUR_DATABASE_DOWN_RETRY_AFTER)
    return response
