"""Prometheus metrics at /metrics (issue 15): protected by a bearer token, 404 while none is set;
request latency per view, task latency and failures per task, the outbox backlog and match run
durations read from the database at scrape time."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from matching.enums import MatchRunKind, MatchRunStatus
from matching.models import MatchRun
from portal import logs
from portal.celery import app
from portal.models import OutboxMessage
from portal.tasks import outbox_purge_task
from tests.workers import start_worker, stop_worker, wait_for

TOKEN = "metrics-test-token-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


@app.task(name="tests.metrics_boom")
def _boom():
    raise RuntimeError("boom")


@pytest.fixture
def metrics_token(settings):
    settings.JUSUR_METRICS_TOKEN = TOKEN
    return TOKEN


def _scrape(client=None) -> dict:
    """{(sample name, sorted labels): value} of one authorised scrape."""
    response = (client or Client()).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_are_not_found_while_no_token_is_set(db):
    response = Client().get("/metrics", headers={"Authorization": "Bearer "})

    assert response.status_code == 404
    assert b"jusur_" not in response.content


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}"],
)
def test_metrics_refuse_a_missing_or_wrong_token(authorization, metrics_token, db):
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = Client().get("/metrics", headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"jusur_" not in response.content


def test_metrics_have_no_language_prefix(metrics_token, db):
    assert Client().get("/fr/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_a_request_is_counted_under_its_view(metrics_token, territories):
    key = (
        "jusur_http_request_duration_seconds_count",
        (("method", "GET"), ("status", "200"), ("view", "regions:region_page")),
    )
    before = _scrape().get(key, 0)

    assert Client().get("/fr/regions/05/roadmap/").status_code == 200

    after = _scrape()
    assert after[key] == before + 1
    assert after[("jusur_http_request_duration_seconds_sum", key[1])] > 0
    unmatched = (
        "jusur_http_request_duration_seconds_count",
        (("method", "GET"), ("status", "404"), ("view", "unmatched")),
    )
    before_404 = after.get(unmatched, 0)
    Client().get("/no-such-page/12345")
    assert _scrape()[unmatched] == before_404 + 1


def test_a_worker_counts_task_runs_and_failures_per_task(metrics_token, real_broker, tmp_path, monkeypatch, db):
    # A real worker (two pool processes) in multiprocess mode, as in production: /metrics, served
    # by this process, adds up what the worker's children wrote to PROMETHEUS_MULTIPROC_DIR.
    (tmp_path / "metrics").mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    log = tmp_path / "worker.log"
    worker = start_worker(concurrency=2, include="tests.portal.test_metrics", log_path=log, log_level="info")
    runs = ("jusur_celery_task_duration_seconds_count", (("task", "portal.outbox_purge"),))
    failures = ("jusur_celery_task_failures_total", (("task", "tests.metrics_boom"),))
    try:
        token = logs.context_bind(request_id="req-0123456789abcdef")  # as if queued by a request
        try:
            outbox_purge_task.delay()
            outbox_purge_task.delay()
            _boom.delay()
        finally:
            logs.context_reset(token)
        assert wait_for(lambda: _scrape().get(failures) == 1 and _scrape().get(runs) == 2)
    finally:
        stop_worker(worker)

    samples = _scrape()
    assert samples[("jusur_celery_task_duration_seconds_count", (("task", "tests.metrics_boom"),))] == 1
    assert ("jusur_celery_task_failures_total", (("task", "portal.outbox_purge"),)) not in samples
    # The worker's own log lines are JSON too, and carry the id of the request that queued the task.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    done = [line for line in lines if line["logger"] == "celery.app.trace"]
    assert len(done) == 3
    assert {line["request_id"] for line in done} == {"req-0123456789abcdef"}


def test_the_outbox_backlog_is_read_at_scrape_time(metrics_token, db):
    now = timezone.now()
    OutboxMessage.objects.create(task_name="portal.outbox_purge", created_at=now - timedelta(seconds=120))
    OutboxMessage.objects.create(task_name="portal.outbox_purge", created_at=now - timedelta(seconds=30))
    OutboxMessage.objects.create(task_name="portal.outbox_purge", created_at=now - timedelta(hours=5), done_at=now)
    OutboxMessage.objects.create(task_name="portal.outbox_purge", created_at=now - timedelta(hours=9), failed=True)

    samples = _scrape()

    assert samples[("jusur_outbox_pending_messages", ())] == 2
    assert samples[("jusur_outbox_failed_messages", ())] == 1
    assert 120 <= samples[("jusur_outbox_oldest_pending_age_seconds", ())] < 3600


def test_an_empty_outbox_has_no_age(metrics_token, db):
    samples = _scrape()

    assert samples[("jusur_outbox_pending_messages", ())] == 0
    assert samples[("jusur_outbox_oldest_pending_age_seconds", ())] == 0


def test_match_run_durations_are_a_histogram_per_kind(metrics_token, db):
    now = timezone.now()
    done = {"status": MatchRunStatus.DONE}
    MatchRun.objects.create(kind=MatchRunKind.FULL, duration_ms=4_000, finished_at=now - timedelta(days=1), **done)
    MatchRun.objects.create(kind=MatchRunKind.FULL, duration_ms=70_000, finished_at=now, **done)
    MatchRun.objects.create(kind=MatchRunKind.EXPERT, duration_ms=300, finished_at=now, **done)
    MatchRun.objects.create(kind=MatchRunKind.FULL, status=MatchRunStatus.RUNNING)
    MatchRun.objects.create(kind=MatchRunKind.FULL, status=MatchRunStatus.FAILED, duration_ms=1, finished_at=now)

    samples = _scrape()

    full = (("kind", "full"),)
    assert samples[("jusur_match_run_duration_seconds_count", full)] == 2
    assert samples[("jusur_match_run_duration_seconds_sum", full)] == 74.0
    assert samples[("jusur_match_run_duration_seconds_bucket", (("kind", "full"), ("le", "5.0")))] == 1
    assert samples[("jusur_match_run_duration_seconds_bucket", (("kind", "full"), ("le", "60.0")))] == 1
    assert samples[("jusur_match_run_duration_seconds_bucket", (("kind", "full"), ("le", "120.0")))] == 2
    assert samples[("jusur_match_run_duration_seconds_bucket", (("kind", "full"), ("le", "+Inf")))] == 2
    assert samples[("jusur_match_run_last_duration_seconds", full)] == 70.0
    assert samples[("jusur_match_run_last_duration_seconds", (("kind", "expert"),))] == 0.3
    assert ("jusur_match_run_duration_seconds_count", (("kind", "need"),)) not in samples


@pytest.mark.parametrize("runs", [1, 30])
def test_a_scrape_costs_three_queries_whatever_the_rows(runs, metrics_token, db, django_assert_num_queries):
    for index in range(runs):
        MatchRun.objects.create(
            kind=MatchRunKind.NEED, status=MatchRunStatus.DONE, duration_ms=index, finished_at=timezone.now()
        )
        OutboxMessage.objects.create(task_name="portal.outbox_purge")

    # 1. outbox aggregate; 2. match run histogram per kind; 3. latest finished run per kind.
    with django_assert_num_queries(3):
        _scrape()


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    # Two "gunicorn workers" each observe one request; a third process renders /metrics' registry.
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    observe = (
        "import django; django.setup(); from portal import metrics; "
        "metrics.request_observe(view='regions:region_page', method='GET', status=200, seconds=0.2)"
    )
    render = (
        "import django; django.setup(); from prometheus_client import generate_latest; from portal import metrics; "
        "print(generate_latest(metrics.processes_registry()).decode())"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", observe], cwd=ROOT, env=env, check=True, timeout=120)

    output = subprocess.run(
        [sys.executable, "-c", render], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True
    ).stdout

    assert (
        'jusur_http_request_duration_seconds_count{method="GET",status="200",view="regions:region_page"} 2.0' in output
    )
    assert len(list(tmp_path.glob("histogram_*.db"))) == 2
