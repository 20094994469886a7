"""Issue 15: PostgreSQL restarts, then stops for 30 s, under a steady trickle of page views,
readiness probes and sign-ups through gunicorn (deploy/gunicorn.conf.py).

A private PostgreSQL 15 cluster (initdb in a temporary folder, its own port): the server the
other test runs share is never stopped. While the database is down the site answers 503 with
Retry-After (never 500); every sign-up it accepted (302) is in the database afterwards, once.
"""

import os
import subprocess
import sys
import time

import psycopg2
import pytest
from django.conf import settings

from tests.faults.servers import ROOT, PrivatePostgres, record_fault, stop_process, wait_until
from tests.faults.web import LoadLoop, start_gunicorn
from tests.workers import QUEUE

pytestmark = pytest.mark.worker

OUTAGE_SECONDS = 30  # the figure
RECOVERY_BOUND_SECONDS = 60


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    yield server
    server.destroy()


def _migrate(url: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.faults.settings", "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=600
    )


def _recovered_after(load: LoadLoop, since: float):
    """The site is back once a readiness probe says 200 and a sign-up is accepted, both after `since`."""
    answers = load.between(since, float("inf"))
    return any(a.kind == "ready" and a.status == 200 for a in answers) and any(
        a.kind == "signup" and a.status == 302 for a in answers
    )


def _measure(load: LoadLoop, start: float, end: float) -> dict:
    answers = load.between(start, end)
    return {
        "requests": len(answers),
        "errors_5xx": sum(a.status >= 500 for a in answers),
        "detail": {
            "503": sum(a.status == 503 for a in answers),
            "500": sum(a.status == 500 for a in answers),
            "other_5xx": sum(a.status > 503 or 500 < a.status < 503 for a in answers),
            "no_answer": sum(a.status == 0 for a in answers),
        },
    }


def test_postgres_restart_then_30s_outage(private_postgres, fault_dir):
    _migrate(private_postgres.url)
    env = {"DATABASE_URL": private_postgres.url, "REDIS_URL": settings.REDIS_URL, "JUSUR_TEST_QUEUE": QUEUE}
    web, base = start_gunicorn(env=env, log=fault_dir / "gunicorn.log")
    load = LoadLoop(base).start()
    try:
        time.sleep(5)  # steady state first
        restart_at = time.monotonic()
        private_postgres.stop("fast")
        private_postgres.start()
        back_at = time.monotonic()
        restart_recovery = wait_until(lambda: _recovered_after(load, back_at), timeout=RECOVERY_BOUND_SECONDS)
        time.sleep(3)

        outage_at = time.monotonic()
        private_postgres.stop("fast")
        time.sleep(OUTAGE_SECONDS)
        private_postgres.start()
        up_at = time.monotonic()
        outage_recovery = wait_until(lambda: _recovered_after(load, up_at), timeout=RECOVERY_BOUND_SECONDS)
        time.sleep(3)
    finally:
        load.stop()
        stop_process(web)

    with psycopg2.connect(private_postgres.url) as db, db.cursor() as cursor:
        cursor.execute("SELECT email, count(*) FROM portal_user WHERE email LIKE 'fault-%%' GROUP BY email")
        stored = dict(cursor.fetchall())
    accepted = load.accepted_emails
    lost = len(set(accepted) - set(stored))
    duplicates = sum(count - 1 for count in stored.values())
    restart = _measure(load, restart_at, outage_at)
    outage = _measure(load, outage_at, float("inf"))
    restart_row = record_fault(
        "PostgreSQL restart (pg_ctl stop -m fast, start)",
        **restart,
        recovery_seconds=restart_recovery,
        changes_lost=lost,
        duplicates=duplicates,
    )
    outage["detail"]["signups_accepted_in_test"] = len(accepted)
    outage_row = record_fault(
        f"PostgreSQL stopped {OUTAGE_SECONDS} s",
        **outage,
        recovery_seconds=outage_recovery,
        changes_lost=lost,
        duplicates=duplicates,
    )

    assert restart_recovery is not None and outage_recovery is not None
    assert restart_row["detail"]["500"] == outage_row["detail"]["500"] == 0  # down is 503, not 500
    assert outage_row["detail"]["503"] > 0  # the outage was seen
    assert len(accepted) > 4
    assert (lost, duplicates) == (0, 0)
