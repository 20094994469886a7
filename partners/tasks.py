from celery import shared_task

from . import webhooks


@shared_task(name="partners.webhook_deliver")
def webhook_deliver_task(*, delivery_id: int) -> str:
    return webhooks.webhook_deliver(delivery_id=delivery_id)
