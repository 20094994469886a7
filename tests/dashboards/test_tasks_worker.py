"""Integration: the open-data beat task run by a real Celery worker against Redis, twice at once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from dashboards.models import OpenDataSnapshot
from portal.celery import app
from regions.services import territories_load
from taxonomy.models import Sector
from taxonomy.services import starter_taxonomy_load

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def worker():
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-l", "warning", "-c", "2"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def test_open_data_refresh_by_worker_twice_at_once_leaves_one_snapshot_per_table(worker):
    territories_load()
    if not Sector.objects.exists():
        starter_taxonomy_load()

    app.send_task("dashboards.open_data_refresh")
    app.send_task("dashboards.open_data_refresh")  # a duplicate beat tick, run concurrently (-c 2)

    assert _wait_for(lambda: OpenDataSnapshot.objects.count() == 5)
    time.sleep(2)  # leave the second run time to finish (an upsert: still one row per table)
    assert OpenDataSnapshot.objects.count() == 5
    assert all(len(rows) > 0 for rows in OpenDataSnapshot.objects.values_list("rows", flat=True))


def test_cache_refresh_by_worker_computes_every_region(worker):
    territories_load()
    if not Sector.objects.exists():
        starter_taxonomy_load()

    cached = redis.Redis.from_url(settings.REDIS_URL)

    app.send_task("dashboards.cache_refresh")

    assert _wait_for(lambda: len(cached.keys("*dashboards:region:*")) == 12)
    assert len(cached.keys("*dashboards:national*")) == 1
