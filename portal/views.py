from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from regions.selectors import region_list

from .celery import app as celery_app


def home(request):
    regions = region_list()
    return render(
        request,
        "portal/home.html",
        {"pilot_regions": [region for region in regions if region.is_pilot], "region_count": len(regions)},
    )


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
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not keep a value")


def _probe_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=2)


@never_cache
@require_GET
def healthz(request):
    """Database, cache and broker state. 200 while the database answers; a broker that is
    down is reported but not fatal, because requests keep working (the outbox waits)."""
    broker = "in-process" if celery_app.conf.task_always_eager else _check(_probe_broker)
    checks = {"database": _check(_probe_database), "cache": _check(_probe_cache), "broker": broker}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "down", "checks": checks}, status=status)
