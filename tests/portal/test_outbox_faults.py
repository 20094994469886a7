"""The outbox against a real worker and Redis (issue 15, item 2): each task's own retry policy
applies to what the outbox sends. The worker killed mid-task: tests/matching/test_rematch_faults.py."""

import time
from pathlib import Path

import pytest
from django.db import transaction

from portal.models import OutboxMessage
from portal.outbox import outbox_enqueue
from tests.portal import flaky_tasks  # noqa: F401 - registers the task in this process
from tests.workers import (
    PrivateRedisServer,
    relay_ticking,
    start_worker,
    stop_worker,
    use_broker,
    wait_for,
    wait_until_ready,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_tasks_autoretry_policy_is_honoured_through_the_outbox(real_broker, tmp_path):
    log = tmp_path / "runs.txt"
    worker = start_worker(include="tests.portal.flaky_tasks", log_path=tmp_path / "worker.log", eager=False)
    try:
        with transaction.atomic():
            outbox_enqueue(task_name="tests.flaky_transient", kwargs={"log": str(log), "fail_times": 2})
        done = wait_for(lambda: OutboxMessage.objects.filter(done_at__isnull=False).exists(), timeout=60)
    finally:
        stop_worker(worker)

    message = OutboxMessage.objects.get()
    assert (done, _runs(log)) == (True, 3)  # two transient failures retried by the task's policy
    assert (message.attempts, message.failed, message.lease_until) == (3, False, None)
    assert message.last_error == "ConnectionError('the SMTP server went away')"


@pytest.fixture
def private_broker(real_broker, settings):
    """This process and its workers publish to a Redis of the test's own."""
    server = PrivateRedisServer()
    # First: Celery's configuration reads Django's settings live, so `previous` must be read
    # before CELERY_BROKER_URL (what the relay asks for the broker's uptime) changes.
    previous = use_broker(real_broker, server.url)
    settings.CELERY_BROKER_URL = server.url
    yield server
    use_broker(real_broker, previous)
    server.stop()


def test_messages_a_redis_restart_lost_are_sent_again_once(private_broker, tmp_path):
    lost, kept = tmp_path / "lost.txt", tmp_path / "kept.txt"
    with transaction.atomic():
        outbox_enqueue(task_name="tests.flaky_transient", kwargs={"log": str(lost), "fail_times": 0})
    private_broker.restart()  # no append-only file: the queue is gone
    with transaction.atomic():
        outbox_enqueue(task_name="tests.flaky_transient", kwargs={"log": str(kept), "fail_times": 0})
    log = tmp_path / "worker.log"
    worker = start_worker(
        include="tests.portal.flaky_tasks", log_path=log, log_level="info", extra_env={"REDIS_URL": private_broker.url}
    )
    try:
        assert wait_until_ready(log)
        started = time.monotonic()
        with relay_ticking():
            done = wait_for(lambda: OutboxMessage.objects.filter(done_at__isnull=True).count() == 0, timeout=60)
            recovery = time.monotonic() - started
            time.sleep(2)  # a duplicate, if any were sent, would run now
    finally:
        stop_worker(worker)

    assert (done, _runs(lost), _runs(kept)) == (True, 1, 1)  # each message run exactly once
    print(f"\n[fault] Redis restarted without AOF, 1 message lost: recovered in {recovery:.1f} s, duplicates 0")
