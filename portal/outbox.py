"""The transactional outbox: how every Celery task is enqueued in Jusur.

A service calls `outbox_enqueue()` inside its transaction. The row commits with the
change; right after commit we try to publish it, and if Redis is down the beat relay
publishes it later. The worker runs it through `outbox_dispatch`, which claims the row
so that a message delivered twice is not run twice once it has completed.
See docs/decisions/0002-celery-reliability.md.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage
from .redaction import redact

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A message published this long ago and still not done is assumed lost and published again.
REPUBLISH_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def outbox_enqueue(*, task_name: str, kwargs: dict, dedup_key: str = "", delay_seconds: int = 0) -> None:
    """Queue `task_name(**kwargs)` to run after the current transaction commits.

    With a `dedup_key`, a message that is still waiting absorbs this one (debounce).
    """
    now = timezone.now()
    message = OutboxMessage(
        task_name=task_name,
        kwargs=kwargs,
        dedup_key=dedup_key,
        created_at=now,
        available_at=now + timedelta(seconds=delay_seconds),
    )
    if dedup_key and OutboxMessage.objects.filter(dedup_key=dedup_key, started_at__isnull=True).exists():
        return  # a waiting message will run after this change and see it
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return  # a concurrent transaction queued the same key first
    message_id = message.pk
    transaction.on_commit(lambda: outbox_publish(message_id=message_id, countdown=delay_seconds))


def outbox_publish(*, message_id: int, countdown: int = 0) -> bool:
    """Hand one message to Celery; False (and the row stays pending) if the broker is down."""
    from .tasks import outbox_dispatch_task

    try:
        outbox_dispatch_task.apply_async(kwargs={"message_id": message_id}, countdown=countdown or None)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the relay will retry
        logger.warning("outbox: publish of %s failed, the relay will retry: %s", message_id, exc)
        OutboxMessage.objects.filter(pk=message_id).update(last_error=str(exc)[:1000])
        return False
    OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).update(published_at=timezone.now())
    return True


def outbox_dispatch(*, message_id: int) -> None:
    """Run one message's task in this worker, unless it is done or parked."""
    from .celery import app

    # A message already running elsewhere is left to that run; if that worker died, the
    # relay publishes the message again once REPUBLISH_AFTER has passed.
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True, failed=False, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - REPUBLISH_AFTER))
        .update(started_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        app.tasks[message.task_name].run(**message.kwargs)
    except Exception as exc:
        parked = message.attempts >= MAX_ATTEMPTS
        # An SMTP error names the refused address: the row keeps the error, not the address.
        OutboxMessage.objects.filter(pk=message_id).update(last_error=redact(repr(exc))[:1000], failed=parked)
        raise
    OutboxMessage.objects.filter(pk=message_id).update(done_at=timezone.now())


def outbox_relay(*, batch_size: int = 500) -> int:
    """Publish what was never published, or was published and then lost. Returns the count."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(done_at__isnull=True, failed=False, available_at__lte=now)
            .filter(Q(published_at__isnull=True) | Q(published_at__lt=now - REPUBLISH_AFTER))
            .order_by("available_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(published_at=None)
    return sum(outbox_publish(message_id=pk) for pk in ids)


def outbox_purge(*, older_than_days: int = 7) -> int:
    """Delete messages that completed more than `older_than_days` ago."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(done_at__lt=cutoff).delete()
    return deleted
