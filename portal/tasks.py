import time

from celery import shared_task
from django.core.cache import cache

from . import notifications, outbox, translation
from .cache import BEAT_TICK_KEY


@shared_task(name="portal.outbox_dispatch")
def outbox_dispatch_task(*, message_id: int) -> bool:
    # Messages queued before decision 0011 named this wrapper: publish the real task instead.
    return outbox.outbox_publish(message_id=message_id)


@shared_task(name="portal.outbox_relay")
def outbox_relay_task() -> int:
    # Beat runs this every 15 s: its time is beat's last tick for /healthz/ready.
    cache.set(BEAT_TICK_KEY, time.time(), None)
    return outbox.outbox_relay()


@shared_task(name="portal.outbox_purge")
def outbox_purge_task() -> int:
    return outbox.outbox_purge()


@shared_task(name="portal.send_notification_email", autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True)
def notification_email_send_task(*, notification_id: int, **_queued_before_0008) -> bool:
    # Messages queued before decision 0008 also carried `template` and `context`: ignored.
    return notifications.notification_email_send(notification_id=notification_id)


# A configured machine translator is a network service: transient failures are retried.
@shared_task(name="portal.translations_fill", autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True)
def translations_fill_task(*, model: str, pk: int) -> list[str]:
    return translation.translations_fill_by_id(model=model, pk=pk)
