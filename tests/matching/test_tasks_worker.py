"""Integration: a real Celery worker against Redis, tasks published through the outbox."""

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

from diaspora.services import consent_set
from matching import services
from matching.enums import MatchRunStatus
from matching.models import Match, MatchRun
from portal.celery import app
from portal.models import OutboxMessage
from portal.outbox import REPUBLISH_AFTER, outbox_relay
from tests.matching.factories import SkillFactory, expert, need

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _start_worker(extra_env=None, include=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-l", "warning", "-c", "1", "--without-gossip"]
    command += ["--without-mingle", "--without-heartbeat", "-Q", QUEUE]
    if include:
        command += ["--include", include]
    # its own process group, so that the test can kill the worker and its pool child at once
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def _wait_for(condition, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


QUEUE = f"tests-matching-{os.getpid()}"  # our own queue: other test runs may share this Redis


@pytest.fixture
def real_broker():
    """Publish to Redis for real (unit tests run tasks in-process), on a queue of our own."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(QUEUE)
    default_queue = app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = QUEUE
    yield
    app.conf.task_always_eager = True
    app.conf.task_default_queue = default_queue
    broker.delete(QUEUE)


@pytest.fixture
def worker(real_broker):
    process = _start_worker()
    yield process
    _stop(process)


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


def test_profile_saved_then_consent_withdrawn(worker, skill, official_a):
    need_obj = need(skills=[skill], owner=official_a)
    profile = expert(skills=[skill])
    profile.consent_matching = False
    profile.save(update_fields=["consent_matching"])

    consent_set(profile=profile, choices={"matching": True})  # commits, the outbox publishes

    assert _wait_for(lambda: Match.objects.filter(need=need_obj, profile=profile, rank=1).exists())
    consent_set(profile=profile, choices={"matching": False})
    assert _wait_for(lambda: not Match.objects.filter(profile=profile).exists())
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 0


def test_worker_killed_mid_full_rematch_then_rerun(real_broker, skill, official_a):
    needs = [need(skills=[skill], owner=official_a) for _ in range(3)]
    first = [expert(skills=[skill]) for _ in range(3)]
    services.full_rematch()  # the ranking everyone sees before the interrupted run
    before = sorted(Match.objects.values_list("need_id", "profile_id", "rank", "run_id"))
    later = [expert(skills=[(skill, 4, 30)]) for _ in range(2)]  # would take ranks 1 and 2
    slow = _start_worker({"JUSUR_TEST_PAUSE": "60"}, include="tests.matching.slow_engine")
    try:
        run = services.match_run_request(by=official_a)
        assert _wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == MatchRunStatus.RUNNING)
        time.sleep(1.0)  # inside the paused run: scored, not yet written
    finally:
        _stop(slow, signal.SIGKILL)

    assert sorted(Match.objects.values_list("need_id", "profile_id", "rank", "run_id")) == before
    # Time passes: the run's heartbeat and the outbox claim grow old; the relay republishes.
    MatchRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - services.RUN_STALE_AFTER * 2)
    OutboxMessage.objects.filter(task_name="matching.full_rematch").update(
        started_at=timezone.now() - REPUBLISH_AFTER * 2, published_at=timezone.now() - REPUBLISH_AFTER * 2
    )
    fresh = _start_worker()
    try:
        outbox_relay()
        assert _wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == MatchRunStatus.DONE, timeout=60)
    finally:
        _stop(fresh)

    run.refresh_from_db()
    assert (run.attempts, run.matches_count, run.progress) == (2, 15, 100)
    assert Match.objects.count() == 15  # 3 needs × 5 experts, once each
    for need_obj in needs:
        ranking = list(Match.objects.filter(need=need_obj).order_by("rank").values_list("profile_id", "run_id"))
        assert {p for p, _ in ranking[:2]} == {e.pk for e in later}
        assert {p for p, _ in ranking[2:]} == {e.pk for e in first}
        assert {r for _, r in ranking} == {run.pk}
    assert timezone.now() - run.finished_at < timedelta(minutes=2)


def test_profile_saved_while_broker_down_is_matched_once_back(worker, skill, official_a, monkeypatch):
    from kombu.exceptions import OperationalError

    from portal.tasks import outbox_dispatch_task

    need_obj = need(skills=[skill], owner=official_a)
    profile = expert(skills=[skill])
    profile.consent_matching = False
    profile.save(update_fields=["consent_matching"])

    def refuse(*args, **kwargs):  # the network boundary: Redis unreachable
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as down:
        down.setattr(outbox_dispatch_task, "apply_async", refuse)
        consent_set(profile=profile, choices={"matching": True})  # the request still succeeds
    waiting = OutboxMessage.objects.filter(task_name="matching.expert_changed", published_at__isnull=True).count()
    time.sleep(6)  # the message's debounce delay
    relayed = outbox_relay()  # Redis is back: the beat relay publishes what waited

    assert (waiting, relayed) == (1, 1)
    assert _wait_for(lambda: Match.objects.filter(need=need_obj, profile=profile, rank=1).exists())
