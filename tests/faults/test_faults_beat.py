"""Issue 15, item 6: two beats, one scheduler. Real `celery beat` processes (the Procfile's
command) on the test database's lock and a private Redis; a probe entry every 2 s shows who sends."""

import itertools
import json
import os
import signal
import time
from datetime import datetime

import pytest
import redis
from django.db import connection

from portal.beat import LOCK_TTL_SECONDS
from tests.faults.servers import record_fault, start_beat, stop_process, wait_until
from tests.workers import QUEUE, PrivateRedisServer, database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HOLDING = "beat: holding the scheduler lock"
SENT = "Scheduler: Sending due task probe"


@pytest.fixture
def private_redis():
    server = PrivateRedisServer()
    yield server
    server.stop()


def _sends(log) -> list[datetime]:
    """When the beat sent the probe, read from its log lines as production writes them (JSON,
    decision 0013); a line that is not JSON (a traceback) is skipped."""
    sends = []
    for line in log.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and str(record.get("message", "")).startswith(SENT):
            sends.append(datetime.fromisoformat(record["time"]))
    return sends


def test_two_beats_send_once_and_the_second_takes_over_when_the_first_dies(private_redis, fault_dir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": private_redis.url,
        "JUSUR_TEST_QUEUE": QUEUE,
        "JUSUR_TEST_BEAT": "probe",
    }
    logs = {name: fault_dir / f"beat-{name}.log" for name in ("a", "b")}
    first = start_beat(env=env, schedule=fault_dir / "schedule-a", log=logs["a"])
    second = None
    try:
        assert wait_until(lambda: _sends(logs["a"]), timeout=60) is not None
        second = start_beat(env=env, schedule=fault_dir / "schedule-b", log=logs["b"])
        assert wait_until(lambda: "beat: Starting..." in logs["b"].read_text(), timeout=60) is not None
        time.sleep(8)  # the second beat tries the lock every 5 s meanwhile

        assert _sends(logs["b"]) == []  # only the first beat sends
        assert len(_sends(logs["a"])) >= 3
        assert HOLDING not in logs["b"].read_text()

        os.killpg(first.pid, signal.SIGKILL)  # no goodbye: the lock goes with its session
        first.wait()
        # Takeover, measured to the first probe the second beat sends (due 2 s after it holds the lock).
        takeover = wait_until(lambda: _sends(logs["b"]), timeout=LOCK_TTL_SECONDS)
        assert takeover is not None, logs["b"].read_text()[-2000:]
        assert HOLDING in logs["b"].read_text()

        # The database ends the holder's session (as a restart would): it stops, then holds again.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'jusur-beat'"
            )
        assert wait_until(lambda: "beat: lost the scheduler lock" in logs["b"].read_text(), timeout=30) is not None
        assert wait_until(lambda: logs["b"].read_text().count(HOLDING) == 2, timeout=LOCK_TTL_SECONDS) is not None
    finally:
        stop_process(first, signal.SIGKILL)
        if second is not None:
            stop_process(second)

    sends = sorted(_sends(logs["a"]) + _sends(logs["b"]))
    # The probe is due every 2 s: two sends closer than 1 s would be two beats sending at once.
    duplicates = sum(1 for earlier, later in itertools.pairwise(sends) if (later - earlier).total_seconds() < 1)
    queued = redis.Redis.from_url(private_redis.url).llen(QUEUE)
    record_fault(
        "two beats: the holder killed -9, then the new holder's database session ended",
        requests=None,
        errors_5xx=None,
        recovery_seconds=takeover,
        changes_lost=0,  # no change is made here; see the sends logged and queued
        duplicates=duplicates,
        detail={"sends_a": len(_sends(logs["a"])), "sends_b": len(_sends(logs["b"])), "queued": queued},
    )
    assert duplicates == 0
    # Every send the logs show reached the broker once — but the beat killed -9 may die between
    # logging a send and publishing it (one probe, due again 2 s later from the new holder).
    assert len(sends) - 1 <= queued <= len(sends)
