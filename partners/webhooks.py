"""Every write of the webhooks: subscriptions, emitting events, delivering them.

`webhook_emit` runs when something a partner may hear about happens: the domain events of
WEBHOOK_EVENT_TYPES, to which this app subscribes (PartnersConfig.ready, docs/api/webhooks.md).
A delivery carries what the subscriber's token reads from the API for the event's object at the
moment of each attempt (partners.selectors.webhook_event_data), and is signed in the Standard
Webhooks format (https://www.standardwebhooks.com/).
"""

import base64
import json
import logging
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from standardwebhooks import Webhook

from portal.enums import Role
from portal.events import DomainEvent
from portal.models import User
from portal.notifications import notification_send
from portal.outbox import outbox_enqueue

from .enums import EVENT_SCOPES, DeliveryStatus, Scope, WebhookEvent
from .models import APIToken, WebhookAttempt, WebhookDelivery, WebhookSubscription
from .selectors import webhook_event_data
from .webhook_transport import RefusedAddress, allow_private_targets, post, resolve

logger = logging.getLogger(__name__)

WEBHOOK_MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 30, 30 min apart: about 1.5 hours in all
WEBHOOK_BACKOFF_BASE = 30
# Below the broker's visibility timeout (RELIABILITY.md: no countdown longer than it).
WEBHOOK_BACKOFF_MAX = 1800
WEBHOOK_TIMEOUT_SECONDS = 10
WEBHOOK_DISABLE_AFTER = 20  # consecutive failed attempts of one subscription


def webhook_secret_new() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_url_validate(url: str) -> None:
    """Refuse URLs the platform must not call: not HTTPS, or pointing inside our network."""
    parts = urlsplit(url)
    allow_private = allow_private_targets()
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError({"url": _("Use an https:// address.")})
    if not parts.hostname:
        raise ValidationError({"url": _("Enter a valid URL.")})
    if allow_private:
        return
    try:
        resolve(parts.hostname, parts.port or 443)
    except (RefusedAddress, ValueError):
        raise ValidationError({"url": _("This address is not reachable from the internet.")}) from None


def webhook_subscription_create(*, token: APIToken, url: str, events: list[str]) -> WebhookSubscription:
    """Subscribe `url` to `events` with the rights of `token`, which must hold each event's scope."""
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise ValidationError({"events": _("Choose one or more of the known events.")})
    lacking = sorted({EVENT_SCOPES[event] for event in events} - set(token.scopes))
    if lacking:
        raise ValidationError(
            {"events": _("This API token lacks the scope %(scope)s.") % {"scope": ", ".join(lacking)}}
        )
    webhook_url_validate(url)
    return WebhookSubscription.objects.create(
        partner_id=token.partner_id,
        token=token,
        url=url,
        events=[event for event in WebhookEvent.values if event in events],
        secret=webhook_secret_new(),
    )


def webhook_subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Delete a subscription; the caller found it through selectors.webhook_subscription_list."""
    subscription.delete()


def _may_receive(token: APIToken, event: str) -> bool:
    return token.is_usable and Scope.WEBHOOKS in token.scopes and EVENT_SCOPES[event] in token.scopes


def webhook_event_handle(event: DomainEvent) -> int:
    """The subscription of webhooks to the domain events (portal.events), run in their transaction."""
    return webhook_emit(event=event.name, object_id=event.object_id)


@transaction.atomic
def webhook_emit(*, event: str, object_id: int) -> int:
    """Record one delivery of `event` about the object `object_id` for every subscription whose
    token reads that object through the API now, and queue them.

    Call it inside the transaction of the change, after the change is saved (the deliveries
    commit with it). A subscriber that cannot read the object gets no delivery at all — not
    even a trace in its delivery log. Returns the number of deliveries queued.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    event_id = uuid.uuid4()
    created = 0
    # JSON containment is not portable to SQLite (the demo); the subscriptions are few.
    subscriptions = WebhookSubscription.objects.filter(is_active=True).select_related("token__partner")
    for subscription in subscriptions:
        token = subscription.token
        if event not in subscription.events or not _may_receive(token, event):
            continue
        if webhook_event_data(event=event, object_id=object_id, token=token) is None:
            continue
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=event, event_id=event_id, object_id=object_id
        )
        outbox_enqueue(task_name="partners.webhook_deliver", kwargs={"delivery_id": delivery.pk})
        created += 1
    return created


def webhook_body(delivery: WebhookDelivery, data: dict) -> bytes:
    """The body of the Standard Webhooks payload: type, timestamp (of the event) and data."""
    body = {
        "id": str(delivery.event_id),
        "type": delivery.event,
        "timestamp": delivery.created_at.isoformat(),
        "data": data,
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def webhook_headers(*, delivery: WebhookDelivery, secret: str, body: bytes, at: datetime) -> dict[str, str]:
    """Standard Webhooks headers: webhook-id (the same on every attempt: deduplicate on it),
    webhook-timestamp (of this attempt) and webhook-signature (`v1,<base64 HMAC-SHA256>` of
    "{id}.{timestamp}.{body}" keyed with the secret's bytes)."""
    message_id = str(delivery.event_id)
    return {
        "Content-Type": "application/json",
        "User-Agent": "Jusur-Webhooks/2",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body),
    }


def webhook_backoff(attempt: int) -> int:
    """Seconds before attempt `attempt + 1`: 30 s doubling, capped at 30 minutes."""
    return min(WEBHOOK_BACKOFF_BASE * 2 ** (attempt - 1), WEBHOOK_BACKOFF_MAX)


def _subscription_disable(subscription: WebhookSubscription) -> None:
    disabled = WebhookSubscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now()
    )
    if not disabled:
        return
    WebhookDelivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED
    )
    recipients = User.objects.filter(partner_id=subscription.partner_id, role=Role.PARTNER, is_active=True)
    for user in recipients:
        notification_send(
            user=user,
            kind="webhook_disabled",
            template="partners/email/webhook_disabled",
            refs={"subscription": subscription},
            params={"failures": subscription.failure_count},
        )


def _stop(delivery: WebhookDelivery, status: str) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        status=status, next_attempt_at=None
    )
    return status


def webhook_deliver(*, delivery_id: int) -> str:
    """Make one attempt at a delivery; on failure, queue the next one with backoff.

    Before every attempt the subscriber's rights are read again through the API's own view:
    the body is what its token reads now, and a delivery whose object it can no longer read is
    withheld (never sent). Idempotent: the attempt is claimed by a conditional UPDATE on the
    attempt count, and a delivery that is no longer pending is never sent again.
    Returns its status.
    """
    delivery = WebhookDelivery.objects.select_related("subscription__token__partner").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery.status
    subscription = delivery.subscription
    token = subscription.token
    if not subscription.is_active or not _may_receive(token, delivery.event):
        return _stop(delivery, DeliveryStatus.CANCELLED)
    data = None
    if delivery.object_id is not None:
        data = webhook_event_data(event=delivery.event, object_id=delivery.object_id, token=token)
    if data is None:
        return _stop(delivery, DeliveryStatus.WITHHELD)
    number = delivery.attempts + 1
    started = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=number, last_attempt_at=started, next_attempt_at=None)
    if not claimed:
        return "skipped"  # another worker is making this attempt

    body = webhook_body(delivery, data)
    headers = webhook_headers(
        delivery=delivery, secret=subscription.secret, body=body, at=datetime.fromtimestamp(int(time.time()), tz=UTC)
    )
    clock = time.monotonic()
    code, error = post(subscription.url, body, headers, timeout=WEBHOOK_TIMEOUT_SECONDS)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        response_code=code,
        error=error,
    )
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SUCCEEDED, response_code=code, last_error="", delivered_at=timezone.now()
        )
        WebhookSubscription.objects.filter(pk=subscription.pk).update(failure_count=0)
        return DeliveryStatus.SUCCEEDED

    logger.info("webhook delivery %s attempt %s failed: %s", delivery.pk, number, error or code)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(failure_count=F("failure_count") + 1)
    subscription.refresh_from_db(fields=["failure_count"])
    with transaction.atomic():
        if number >= WEBHOOK_MAX_ATTEMPTS:
            status = DeliveryStatus.FAILED
            WebhookDelivery.objects.filter(pk=delivery.pk).update(status=status, response_code=code, last_error=error)
        else:
            status = DeliveryStatus.PENDING
            delay = webhook_backoff(number)
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                response_code=code, last_error=error, next_attempt_at=timezone.now() + timedelta(seconds=delay)
            )
            outbox_enqueue(
                task_name="partners.webhook_deliver", kwargs={"delivery_id": delivery.pk}, delay_seconds=delay
            )
        if subscription.failure_count >= getattr(settings, "JUSUR_WEBHOOK_DISABLE_AFTER", WEBHOOK_DISABLE_AFTER):
            _subscription_disable(subscription)
            status = DeliveryStatus.CANCELLED
    return status
