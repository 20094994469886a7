"""The outbox against a real worker and Redis (issue 15, item 2): each task's own retry policy
applies to what the outbox sends. The worker killed mid-task: tests/matching/test_rematch_faults.py."""

from pathlib import Path

import pytest
from django.db import transaction

from portal.models import OutboxMessage
from portal.outbox import outbox_enqueue
from tests.portal import flaky_tasks  # noqa: F401 - registers the task in this process
from tests.workers import start_worker, stop_worker, wait_for

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
