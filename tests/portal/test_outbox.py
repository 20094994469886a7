"""The outbox in-process (eager Celery): enqueue, debounce, the lease each attempt takes, the
task's own retry policy, the relay. The same paths against a real worker and a real Redis are
in test_outbox_faults.py."""

import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from celery import shared_task
from celery.app.task import Task
from celery.exceptions import Reject
from django.db import connection, transaction
from django.utils import timezone

from portal import outbox
from portal.models import OutboxMessage
from portal.outbox import LEASE, MAX_ATTEMPTS, outbox_enqueue, outbox_publish, outbox_relay

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[dict] = []


@shared_task(name="tests.record")
def record_task(**kwargs):
    CALLS.append(kwargs)


@shared_task(name="tests.explode")
def explode_task(**kwargs):
    CALLS.append(kwargs)
    raise RuntimeError("boom")


@shared_task(name="tests.flaky", autoretry_for=(ConnectionError,), max_retries=2, default_retry_delay=0)
def flaky_task(*, fail_times: int):
    CALLS.append({"fail_times": fail_times})
    if len(CALLS) <= fail_times:
        raise ConnectionError("SMTP server went away")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing fails as it does when Redis is unreachable (mocked at the network boundary;
    the fault tests stop a real Redis)."""
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)
    return monkeypatch


def _message(**fields) -> OutboxMessage:
    return OutboxMessage.objects.create(task_name="tests.record", kwargs={"n": 1}, **fields)


def test_enqueue_runs_only_after_commit():
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 1})
        assert CALLS == []
    assert CALLS == [{"n": 1}]
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.lease_until, message.failed) == (1, None, False)
    assert message.done_at is not None


def test_rolled_back_transaction_enqueues_nothing():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 1})
        1 / 0  # noqa: B018
    assert CALLS == []
    assert not OutboxMessage.objects.exists()


def test_same_dedup_key_in_a_burst_runs_once(broker_down):
    with transaction.atomic():
        for n in range(5):
            outbox_enqueue(task_name="tests.record", kwargs={"n": n}, dedup_key="expert:7")
    assert OutboxMessage.objects.count() == 1


def test_a_started_message_absorbs_nothing(broker_down):
    _message(dedup_key="expert:7", started_at=timezone.now())
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 2}, dedup_key="expert:7")
    assert OutboxMessage.objects.filter(dedup_key="expert:7").count() == 2


def test_broker_down_keeps_the_message_and_the_relay_sends_it_later(broker_down):
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 2})
    message = OutboxMessage.objects.get()
    assert message.published_at is None
    assert message.last_error == "Error 111 connecting to 127.0.0.1:6379. Connection refused."
    assert CALLS == []
    broker_down.undo()  # the broker is back
    assert outbox_relay() == 1
    assert CALLS == [{"n": 2}]
    assert OutboxMessage.objects.get().done_at is not None


def test_a_message_delivered_again_after_completion_is_not_run_again():
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 3})
    message = OutboxMessage.objects.get()
    assert outbox_publish(message_id=message.pk) is True  # a second copy of the message
    assert CALLS == [{"n": 3}]
    assert OutboxMessage.objects.get().attempts == 1


def test_a_message_whose_lease_is_live_is_not_run_twice():
    message = _message(started_at=timezone.now(), lease_until=timezone.now() + LEASE, attempts=1)
    outbox_publish(message_id=message.pk)  # a redelivered copy while the first attempt runs
    message.refresh_from_db()
    assert (CALLS, message.attempts, message.done_at) == ([], 1, None)


def test_a_message_whose_attempt_died_is_run_again():
    died = timezone.now() - timedelta(seconds=1)
    message = _message(started_at=died - LEASE, lease_until=died, attempts=1)
    outbox_publish(message_id=message.pk)  # the redelivered copy (acks_late) or the relay's
    message.refresh_from_db()
    assert (CALLS, message.attempts, message.lease_until) == ([{"n": 1}], 2, None)
    assert message.done_at is not None


def test_a_message_whose_attempts_keep_dying_is_parked():
    died = timezone.now() - timedelta(seconds=1)
    message = _message(started_at=died - LEASE, lease_until=died, attempts=MAX_ATTEMPTS)
    outbox_publish(message_id=message.pk)
    message.refresh_from_db()
    assert (CALLS, message.failed, message.attempts) == ([], True, MAX_ATTEMPTS)


def test_a_failing_task_without_retry_policy_is_parked_at_once():
    with transaction.atomic():
        outbox_enqueue(task_name="tests.explode", kwargs={"n": 4})  # logged, not raised
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.failed, message.done_at) == (1, True, None)
    assert message.last_error == "RuntimeError('boom')"
    outbox_relay()
    outbox_publish(message_id=message.pk)  # parked: not run again, no exception
    assert CALLS == [{"n": 4}]


@pytest.fixture
def eager_retries():
    """In-process, Celery retries a task only when it does not propagate errors (it raises the
    Retry otherwise); the worker always does."""
    from portal.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_the_tasks_own_retry_policy_applies(eager_retries):
    with transaction.atomic():
        outbox_enqueue(task_name="tests.flaky", kwargs={"fail_times": 2})
    message = OutboxMessage.objects.get()
    assert len(CALLS) == 3  # two transient failures retried by autoretry_for, then success
    assert (message.attempts, message.failed, message.lease_until) == (3, False, None)
    assert message.done_at is not None


def test_retries_exhausted_park_the_message(eager_retries):
    with transaction.atomic():
        outbox_enqueue(task_name="tests.flaky", kwargs={"fail_times": 9})
    message = OutboxMessage.objects.get()
    assert len(CALLS) == 3  # max_retries=2: three runs in all
    assert (message.attempts, message.failed, message.done_at) == (3, True, None)
    assert message.last_error == "ConnectionError('SMTP server went away')"


def test_relay_republishes_a_dead_attempts_message_once(broker_down):
    died = timezone.now() - timedelta(seconds=1)
    _message(started_at=died - LEASE, published_at=died - LEASE, lease_until=died, attempts=1)
    sent = []
    broker_down.setattr(Task, "apply_async", lambda task, **kw: sent.append(kw["headers"]))
    assert (outbox_relay(), outbox_relay()) == (1, 0)  # not again at the next tick
    assert len(sent) == 1


def test_relay_leaves_running_and_recently_published_messages(broker_down, monkeypatch):
    monkeypatch.setattr(outbox, "_broker_started_at", lambda: timezone.now() - timedelta(hours=1))
    now = timezone.now()
    _message(published_at=now - timedelta(seconds=20))  # waiting in the queue
    _message(published_at=now - timedelta(hours=2), started_at=now, lease_until=now + LEASE)  # running
    assert outbox_relay() == 0


def test_relay_republishes_what_a_restarted_broker_may_have_lost(broker_down, monkeypatch):
    now = timezone.now()
    _message(published_at=now - timedelta(seconds=20))
    monkeypatch.setattr(outbox, "_broker_started_at", lambda: now - timedelta(seconds=5))
    sent = []
    broker_down.setattr(Task, "apply_async", lambda task, **kw: sent.append(kw))
    assert outbox_relay() == 1
    assert sent == [{"kwargs": {"n": 1}, "headers": {outbox.HEADER: OutboxMessage.objects.get().pk}, "countdown": None}]


def test_the_published_message_is_the_tasks_own_with_ids_only(broker_down):
    sent = []
    broker_down.setattr(Task, "apply_async", lambda task, **kw: sent.append((task.name, kw)))
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 5}, delay_seconds=5)
    pk = OutboxMessage.objects.get().pk
    assert sent == [("tests.record", {"kwargs": {"n": 5}, "headers": {outbox.HEADER: pk}, "countdown": 5})]


def test_a_retry_the_broker_refused_is_left_to_the_relay():
    # In a worker, Celery turns a retry it cannot publish into Reject (in-process it cannot
    # happen: the retry runs at once), so the attempt is driven here with that outcome.
    message = _message(published_at=timezone.now())

    def call(task, **kwargs):
        raise Reject(ConnectionError("Error 111 connecting to 127.0.0.1:6379"), requeue=False)

    with pytest.raises(Reject):
        outbox._run(call, SimpleNamespace(request=SimpleNamespace(retries=0)), (), {}, message.pk)
    message.refresh_from_db()
    assert (message.failed, message.published_at, message.lease_until, message.attempts) == (False, None, None, 1)
    assert message.last_error == "ConnectionError('Error 111 connecting to 127.0.0.1:6379')"


def test_a_task_may_enqueue_outside_a_transaction(broker_down):
    _message(dedup_key="investment")  # waiting
    outbox_enqueue(task_name="tests.record", kwargs={}, dedup_key="investment")  # autocommit, as in a task
    outbox_enqueue(task_name="tests.record", kwargs={}, dedup_key="other")
    assert sorted(OutboxMessage.objects.values_list("dedup_key", flat=True)) == ["investment", "other"]


def test_a_retry_received_before_its_predecessor_released_the_lease_runs():
    # The task's retry is published by the attempt before it ends; another pool process may
    # receive it while that attempt still holds the lease, which it releases a moment later.
    message = _message(started_at=timezone.now(), lease_until=timezone.now() + LEASE, attempts=1)

    def release():
        time.sleep(0.5)
        OutboxMessage.objects.filter(pk=message.pk).update(lease_until=None)
        connection.close()

    releaser = threading.Thread(target=release)
    releaser.start()
    retry = SimpleNamespace(request=SimpleNamespace(retries=1))
    result = outbox._run(lambda task, **kw: "ran", retry, (), {}, message.pk)
    releaser.join()
    message.refresh_from_db()
    assert (result, message.attempts, message.done_at is not None) == ("ran", 2, True)
