import pytest
from celery import shared_task
from django.db import transaction

from portal.models import OutboxMessage
from portal.outbox import MAX_ATTEMPTS, outbox_dispatch, outbox_enqueue, outbox_relay

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[dict] = []


@shared_task(name="tests.record")
def record_task(**kwargs):
    CALLS.append(kwargs)


@shared_task(name="tests.explode")
def explode_task(**kwargs):
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing fails as it does when Redis is unreachable (mocked at the network boundary;
    the matching integration tests stop the real Redis)."""
    from kombu.exceptions import OperationalError

    from portal.tasks import outbox_dispatch_task

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(outbox_dispatch_task, "apply_async", refuse)
    return monkeypatch


def test_enqueue_runs_only_after_commit():
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 1})
        assert CALLS == []
    assert CALLS == [{"n": 1}]
    message = OutboxMessage.objects.get()
    assert message.done_at is not None
    assert message.attempts == 1


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


def test_dispatch_twice_runs_once():
    with transaction.atomic():
        outbox_enqueue(task_name="tests.record", kwargs={"n": 3})
    message = OutboxMessage.objects.get()
    outbox_dispatch(message_id=message.pk)
    assert CALLS == [{"n": 3}]


def test_a_failing_task_is_parked_after_max_attempts():
    message = OutboxMessage.objects.create(task_name="tests.explode", kwargs={})
    for _ in range(MAX_ATTEMPTS):
        OutboxMessage.objects.filter(pk=message.pk).update(started_at=None)
        with pytest.raises(RuntimeError):
            outbox_dispatch(message_id=message.pk)
    message.refresh_from_db()
    assert (message.attempts, message.failed, message.done_at) == (MAX_ATTEMPTS, True, None)
    outbox_dispatch(message_id=message.pk)  # parked: not run again, no exception
    assert OutboxMessage.objects.get(pk=message.pk).attempts == MAX_ATTEMPTS
