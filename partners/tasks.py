from celery import shared_task

from . import services


@shared_task(name="partners.webhook_deliver")
def webhook_deliver_task(*, delivery_id: int) -> str:
    return services.webhook_deliver(delivery_id=delivery_id)
