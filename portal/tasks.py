from celery import shared_task

from . import outbox


@shared_task(name="portal.outbox_dispatch")
def outbox_dispatch_task(*, message_id: int) -> None:
    outbox.outbox_dispatch(message_id=message_id)


@shared_task(name="portal.outbox_relay")
def outbox_relay_task() -> int:
    return outbox.outbox_relay()


@shared_task(name="portal.outbox_purge")
def outbox_purge_task() -> int:
    return outbox.outbox_purge()
