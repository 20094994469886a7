"""Integration: the open-data beat task run by a real Celery worker against Redis, twice at once."""

import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from dashboards.models import OpenDataSnapshot
from portal.celery import app
from regions.services import territories_load
from taxonomy.models import Sector
from taxonomy.services import starter_taxonomy_load
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_open_data_refresh_by_worker_twice_at_once_leaves_one_snapshot_per_table(celery_worker_process):
    territories_load()
    if not Sector.objects.exists():
        starter_taxonomy_load()

    app.send_task("dashboards.open_data_refresh")
    app.send_task("dashboards.open_data_refresh")  # a duplicate beat tick, run concurrently (-c 2)

    assert wait_for(lambda: OpenDataSnapshot.objects.count() == 5)
    time.sleep(2)  # leave the second run time to finish (an upsert: still one row per table)
    assert OpenDataSnapshot.objects.count() == 5
    assert all(len(rows) > 0 for rows in OpenDataSnapshot.objects.values_list("rows", flat=True))


def test_cache_refresh_by_worker_computes_every_region(celery_worker_process):
    territories_load()
    if not Sector.objects.exists():
        starter_taxonomy_load()

    cached = redis.Redis.from_url(settings.REDIS_URL)
    cache.clear()  # count only the keys this task writes

    app.send_task("dashboards.cache_refresh")

    assert wait_for(lambda: len(cached.keys("*dashboards:region:*")) == 12)
    assert len(cached.keys("*dashboards:national*")) == 1
