"""Integration: the deadline beat task run by a real Celery worker against Redis, twice."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.celery import app
from portal.models import Notification
from projects.models import Project, ProjectDeadlineAlert

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


def test_overdue_project_is_escalated_once_even_if_beat_fires_twice(worker, project, official_a, coordinator):
    Project.objects.filter(pk=project.pk).update(due_at=timezone.now() - timedelta(hours=2))

    app.send_task("projects.deadlines_check")
    app.send_task("projects.deadlines_check")  # a duplicate beat tick, run concurrently (-c 2)

    def escalated():
        return Notification.objects.filter(kind="projects.escalation", emailed_at__isnull=False).count() == 2

    assert _wait_for(escalated)
    time.sleep(2)  # leave the second run time to (not) send anything more
    assert list(ProjectDeadlineAlert.objects.values_list("kind", "recipients")) == [("escalation", 2)]
    recipients = sorted(Notification.objects.filter(kind="projects.escalation").values_list("user", flat=True))
    assert recipients == sorted([official_a.pk, coordinator.pk])
