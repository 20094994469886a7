"""The transactional outbox: how every Celery task is enqueued in Jusur.

A service calls `outbox_enqueue()` inside its transaction. The row commits with the change;
right after commit the task's own message is published (`apply_async`, so the task's retry
policy and time limits apply), carrying the row's id in a header. If Redis is down, the beat
relay publishes it later. In the worker, every task carrying that header runs under a lease
kept alive by a heartbeat (`OutboxAnnotation`, installed for every task by
`CELERY_TASK_ANNOTATIONS`): a copy of the message delivered while the lease is live is
dropped, one delivered after the attempt holding it died is run. The outcome is recorded on
the row. See docs/decisions/0002-celery-reliability.md and 0011-outbox-leases.md.
"""

import logging
import time
from datetime import datetime, timedelta

import kombu.exceptions
import redis
from celery.exceptions import Reject, Retry
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .heartbeat import Heartbeat, lease_renew
from .models import OutboxMessage
from .redaction import redact

logger = logging.getLogger(__name__)

HEADER = "jusur_outbox_id"
# Executions that ended with no outcome (the worker died) before the message is parked; each
# retry the task's own policy asks for allows one more execution.
MAX_ATTEMPTS = 5
# A running attempt renews its lease every HEARTBEAT seconds; one silent for LEASE is dead. The
# relay (every 15 s) then publishes the message again: a killed worker's task runs again within
# LEASE + 15 s of a worker being free.
LEASE = timedelta(seconds=30)
HEARTBEAT_SECONDS = 10
# A message published this long ago that no attempt has taken is presumed lost and published
# again (a Redis restart is noticed sooner: see _broker_started_at). A copy still queued is
# dropped on arrival, so this only bounds how many copies a long backlog accumulates.
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
    if dedup_key:
        waiting = OutboxMessage.objects.filter(dedup_key=dedup_key, started_at__isnull=True)
        if connection.in_atomic_block:
            # The waiting message is locked until this transaction ends: a worker about to start
            # it waits for our commit and then reads our change. Without the lock it could start
            # in between, read the old data, and our change would never be scored (issue 15,
            # item 3). Outside a transaction the change is already committed: nothing to hold.
            waiting = waiting.select_for_update()
        if waiting.values_list("pk", flat=True)[:1]:
            return
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return  # a concurrent transaction queued the same key first
    transaction.on_commit(lambda: _publish(message, countdown=delay_seconds))


def outbox_publish(*, message_id: int, countdown: int = 0) -> bool:
    """Hand one message to Celery; False (and the row stays pending) if the broker is down."""
    message = OutboxMessage.objects.filter(pk=message_id).only("pk", "task_name", "kwargs").first()
    return message is not None and _publish(message, countdown=countdown)


def _publish(message: OutboxMessage, *, countdown: int = 0) -> bool:
    from .celery import app  # imported late: portal.celery imports the settings and every task module

    try:
        app.tasks[message.task_name].apply_async(
            kwargs=message.kwargs, headers={HEADER: message.pk}, countdown=countdown or None
        )
    except Exception as exc:  # noqa: BLE001 - any broker failure: the relay will retry
        if app.conf.task_always_eager and not isinstance(exc, kombu.exceptions.OperationalError):
            # In-process (the demo, unit tests): the task ran and failed, and its attempt
            # recorded that on the row. A request never fails because of it.
            logger.warning("outbox: task of message %s failed in-process: %s", message.pk, redact(repr(exc)))
        else:
            logger.warning("outbox: publish of %s failed, the relay will retry: %s", message.pk, exc)
            OutboxMessage.objects.filter(pk=message.pk).update(last_error=redact(str(exc))[:1000])
            return False
    OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True).update(published_at=timezone.now())
    return True


# --- in the worker: one attempt under a lease ----------------------------------------------


def _claim(message_id: int, *, retries: int) -> int | None:
    """Take the message's lease with a conditional UPDATE; the attempt number, or None when the
    message is done, parked, or leased by a live attempt."""
    now = timezone.now()
    mine = OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True, failed=False)
    free = mine.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    claimed = free.filter(attempts__lt=MAX_ATTEMPTS + retries).update(
        lease_until=now + LEASE, started_at=Coalesce(F("started_at"), now), attempts=F("attempts") + 1
    )
    if claimed:
        return OutboxMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).get()
    # Free but out of attempts: its executions keep dying (a crash loop). Park it.
    if free.update(failed=True, lease_until=None, last_error="parked: every attempt died without an outcome"):
        logger.error("outbox: message %s parked after %s attempts that died", message_id, MAX_ATTEMPTS + retries)
    return None


def _claim_after_release(message_id: int, *, retries: int) -> int | None:
    """A retry is published by the attempt before it ends: another pool process can receive it
    while that attempt still holds the lease, milliseconds before releasing it. Wait for the
    release (at most one lease) instead of dropping the retry."""
    deadline = time.monotonic() + LEASE.total_seconds()
    leased = OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True, failed=False, lease_until__isnull=False)
    while time.monotonic() < deadline and leased.filter(lease_until__gte=timezone.now()).exists():
        time.sleep(0.1)
        if (attempt := _claim(message_id, retries=retries)) is not None:
            return attempt
    return _claim(message_id, retries=retries)


def _attempt(message_id: int, attempt: int):
    return OutboxMessage.objects.filter(pk=message_id, attempts=attempt)


def _run(call, task, args, kwargs, message_id: int):
    retries = task.request.retries or 0
    attempt = _claim(message_id, retries=retries)
    if attempt is None and retries:
        attempt = _claim_after_release(message_id, retries=retries)
    if attempt is None:
        logger.info("outbox: message %s is done, parked or running elsewhere: not run again", message_id)
        return None
    renew = lambda: lease_renew(_attempt(message_id, attempt), lease_until=timezone.now() + LEASE)  # noqa: E731
    with Heartbeat(renew, every=HEARTBEAT_SECONDS, name=f"outbox-lease-{message_id}"):
        try:
            result = call(task, *args, **kwargs)
        except Retry as retry:
            # The task's own policy published its next try: no attempt holds the message until
            # it arrives, and the relay leaves it alone until it is due.
            _attempt(message_id, attempt).update(
                lease_until=None,
                published_at=timezone.now(),
                available_at=_due(retry.when),
                last_error=redact(repr(retry.exc))[:1000],
            )
            raise
        except Reject as exc:
            # The task's retry could not be published (Redis went away): the relay sends the
            # message again once the broker is back.
            _attempt(message_id, attempt).update(
                lease_until=None, published_at=None, last_error=redact(repr(exc.reason))[:1000]
            )
            raise
        except Exception as exc:
            # The task's policy gave up (no retry for this error, or retries exhausted). An
            # SMTP error names the refused address: the row keeps the error, not the address.
            _attempt(message_id, attempt).update(lease_until=None, failed=True, last_error=redact(repr(exc))[:1000])
            raise
    OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).update(done_at=timezone.now(), lease_until=None)
    return result


def _due(when) -> datetime:
    now = timezone.now()
    if isinstance(when, datetime):
        return max(when, now)
    return now + timedelta(seconds=float(when or 0))


def _outbox_call(call):
    """Wrap a task's __call__: with the outbox header, the call is an attempt under a lease."""

    def __call__(task, *args, **kwargs):
        message_id = (task.request.headers or {}).get(HEADER)
        if message_id is None:
            return call(task, *args, **kwargs)  # not from the outbox (beat, a direct call)
        return _run(call, task, args, kwargs, message_id)

    return __call__


class OutboxAnnotation:
    """`CELERY_TASK_ANNOTATIONS` entry: every task, whatever app defines it, runs outbox
    messages under a lease. Celery applies it when it binds each task class."""

    def annotate(self, task):
        return {"@__call__": _outbox_call}


# --- the relay (beat) ------------------------------------------------------------------------


def _broker_started_at() -> datetime | None:
    """When the Redis broker last started, or None if unknown. A message published before that
    may have been lost with an unsaved queue; it is published again (a duplicate is dropped)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    try:
        client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
        uptime = client.info("server")["uptime_in_seconds"]
    except (redis.RedisError, KeyError) as exc:
        logger.warning("outbox: broker uptime unknown: %s", exc)
        return None
    # Uptime is whole seconds: err towards publishing again.
    return timezone.now() - timedelta(seconds=max(uptime - 1, 0))


def outbox_relay(*, batch_size: int = 500) -> int:
    """Publish what was never published, whose attempt died (lease expired), or whose message
    was lost (published before the broker restarted, or long ago and never taken). Returns
    the count."""
    now = timezone.now()
    lost = Q(published_at__lt=now - REPUBLISH_AFTER)
    if (broker_since := _broker_started_at()) is not None:
        lost |= Q(published_at__lt=broker_since)
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(done_at__isnull=True, failed=False, available_at__lte=now)
            .filter(Q(published_at__isnull=True) | Q(lease_until__lt=now) | (Q(lease_until__isnull=True) & lost))
            .order_by("available_at", "pk")
            .only("pk", "task_name", "kwargs")[:batch_size]
        )
        # A dead attempt's lease is cleared once, so the message is published once, not at
        # every tick until a worker is free; the next attempt can take it.
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(published_at=None, lease_until=None)
    return sum(_publish(message) for message in messages)


def outbox_purge(*, older_than_days: int = 7) -> int:
    """Delete messages that completed more than `older_than_days` ago."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(done_at__lt=cutoff).delete()
    return deleted
