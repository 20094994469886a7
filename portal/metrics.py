"""Prometheus metrics at /metrics (issue 15; docs/decisions/0013-logs-metrics-errors.md).

Observed as things happen, in the process where they happen:
- `jusur_http_request_duration_seconds{view,method,status}`: every request, by URL name
  (RequestContextMiddleware), never by path (ids would make one series per row);
- `jusur_celery_task_duration_seconds{task}` and `jusur_celery_task_failures_total{task}`: every
  task run by a worker (Celery's task_prerun / task_postrun / task_failure signals).

Read from the database when scraped (so every process, and a scrape after a restart, agree):
- `jusur_outbox_pending_messages`, `jusur_outbox_oldest_pending_age_seconds`,
  `jusur_outbox_failed_messages` (portal.models.OutboxMessage; "pending" as /healthz/ready counts it);
- `jusur_match_run_duration_seconds{kind}` (a histogram of every finished MatchRun's
  `duration_ms`) and `jusur_match_run_last_duration_seconds{kind}`.

Several processes (gunicorn workers, Celery's pool children) each hold their own counts: with
PROMETHEUS_MULTIPROC_DIR set (the same empty folder for web and worker on one machine, before
they start), prometheus_client writes them to files there and /metrics adds them up. Without
it, /metrics shows only the counts of the web process that answered the scrape.

/metrics is not public: it answers 404 unless JUSUR_METRICS_TOKEN is set, then only to
`Authorization: Bearer <token>` (compared in constant time), 401 otherwise.
"""

import hmac
import os
import time

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .extensions import contribution
from .models import OutboxMessage

REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
TASK_BUCKETS = (0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 180.0, 600.0)
MATCH_RUN_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0)

REQUEST_LATENCY = Histogram(
    "jusur_http_request_duration_seconds",
    "Time from the first middleware to the answer, by URL name.",
    ["view", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
TASK_LATENCY = Histogram(
    "jusur_celery_task_duration_seconds", "Run time of Celery tasks.", ["task"], buckets=TASK_BUCKETS
)
TASK_FAILURES = Counter("jusur_celery_task_failures", "Celery task runs that raised.", ["task"])

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_observe(*, view: str, method: str, status: int, seconds: float) -> None:
    # Labels come from a closed set: unknown methods and unmatched paths share one series each.
    REQUEST_LATENCY.labels(
        view=view or "unmatched", method=method if method in _METHODS else "other", status=str(status)
    ).observe(seconds)


# --- Celery ---------------------------------------------------------------------------------


def _task_start(task=None, **kwargs):
    if task is not None:
        task.request.jusur_started = time.perf_counter()


def _task_end(task=None, **kwargs):
    started = getattr(task.request, "jusur_started", None) if task is not None else None
    if started is not None:
        TASK_LATENCY.labels(task=task.name).observe(time.perf_counter() - started)
        task.request.jusur_started = None


def _task_failed(sender=None, **kwargs):
    if sender is not None:
        TASK_FAILURES.labels(task=sender.name).inc()


def celery_signals_connect() -> None:
    from celery.signals import task_failure, task_postrun, task_prerun

    task_prerun.connect(_task_start, dispatch_uid="jusur_metrics_task_start", weak=False)
    task_postrun.connect(_task_end, dispatch_uid="jusur_metrics_task_end", weak=False)
    task_failure.connect(_task_failed, dispatch_uid="jusur_metrics_task_failed", weak=False)


# --- Read at scrape time ----------------------------------------------------------------------


class DatabaseCollector:
    """The outbox and the match runs, three queries per scrape."""

    def collect(self):
        yield from self._outbox()
        # Match runs belong to matching, above the core: it contributes their metric families.
        yield from contribution("matching.run_metrics") or ()

    @staticmethod
    def _outbox():
        pending = Q(done_at__isnull=True, failed=False)
        row = OutboxMessage.objects.aggregate(
            pending=Count("pk", filter=pending),
            oldest=Min("created_at", filter=pending),
            failed=Count("pk", filter=Q(done_at__isnull=True, failed=True)),
        )
        age = 0.0 if row["oldest"] is None else max(0.0, (timezone.now() - row["oldest"]).total_seconds())
        yield GaugeMetricFamily("jusur_outbox_pending_messages", "Outbox messages not done yet.", value=row["pending"])
        yield GaugeMetricFamily(
            "jusur_outbox_oldest_pending_age_seconds", "Age of the oldest outbox message not done (0: none).", value=age
        )
        yield GaugeMetricFamily(
            "jusur_outbox_failed_messages", "Outbox messages parked after too many attempts.", value=row["failed"]
        )


def processes_registry() -> CollectorRegistry:
    """What the processes observed: all of them in multiprocess mode, else this one."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # every process's files, added up
    else:
        registry.register(REGISTRY)  # this process's metrics (and its process_* figures)
    return registry


def _authorised(request) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = settings.JUSUR_METRICS_TOKEN.encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)


@require_GET
def metrics_view(request):
    if not settings.JUSUR_METRICS_TOKEN:
        raise Http404
    if not _authorised(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = processes_registry()
    registry.register(DatabaseCollector())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    add_never_cache_headers(response)
    return response
