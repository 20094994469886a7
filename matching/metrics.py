"""Match run durations for portal's /metrics (read at scrape time): portal sits below this app,
so it asks for them by name (portal.extensions) and this app registers them in ready()."""

from django.db.models import Count, Q, Sum
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from portal.metrics import MATCH_RUN_BUCKETS

from .enums import MatchRunStatus
from .models import MatchRun


def run_metrics():
    finished = MatchRun.objects.filter(status=MatchRunStatus.DONE, duration_ms__isnull=False)
    buckets = {
        f"le_{index}": Count("pk", filter=Q(duration_ms__lte=int(bound * 1000)))
        for index, bound in enumerate(MATCH_RUN_BUCKETS)
    }
    rows = finished.order_by().values("kind").annotate(count=Count("pk"), total=Sum("duration_ms"), **buckets)
    histogram = HistogramMetricFamily(
        "jusur_match_run_duration_seconds", "Duration of finished match runs.", labels=["kind"]
    )
    for row in rows:
        histogram.add_metric(
            [row["kind"]],
            [(str(bound), row[f"le_{index}"]) for index, bound in enumerate(MATCH_RUN_BUCKETS)]
            + [("+Inf", row["count"])],
            sum_value=row["total"] / 1000,
        )
    yield histogram
    last = GaugeMetricFamily(
        "jusur_match_run_last_duration_seconds", "Duration of the latest finished match run.", labels=["kind"]
    )
    latest = finished.order_by("kind", "-finished_at", "-pk").distinct("kind").values_list("kind", "duration_ms")
    for kind, duration_ms in latest:
        last.add_metric([kind], duration_ms / 1000)
    yield last
