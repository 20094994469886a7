"""Webhooks against a REAL HTTP receiver on 127.0.0.1 (http.server in a thread)."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from partners.enums import DeliveryStatus, Scope, WebhookEvent
from partners.models import WebhookDelivery, WebhookSubscription
from partners.services import webhook_deliver, webhook_emit, webhook_subscription_create


class Receiver:
    """Answers with the next status of `statuses` (200 when they run out) and records requests."""

    def __init__(self):
        self.statuses: list[int] = []
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                code = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a partner does (docs/api/webhooks.md)."""
    parts = dict(item.split("=", 1) for item in headers["Jusur-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@pytest.fixture
def subscribe(make_token, receiver):
    def make(scopes=(Scope.READ_PUBLIC, Scope.WEBHOOKS), events=(WebhookEvent.NEED_PUBLISHED,), **token_kwargs):
        token, _ = make_token(scopes, **token_kwargs)
        return webhook_subscription_create(token=token, url=receiver.url, events=list(events))

    return make


def test_webhook_is_signed_and_verifies(subscribe, receiver, region_a, django_capture_on_commit_callbacks):
    subscription = subscribe()

    with django_capture_on_commit_callbacks(execute=True):
        queued = webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={"need_id": 7}, region=region_a)

    assert queued == 1
    [request] = receiver.requests
    assert verify(subscription.secret, request["headers"], request["body"])
    assert not verify("whsec_wrong", request["headers"], request["body"])
    body = json.loads(request["body"])
    assert body["event"] == "need.published"
    assert body["data"] == {"need_id": 7}
    assert request["headers"]["Jusur-Event"] == "need.published"
    assert request["headers"]["Jusur-Delivery"] == body["id"]


def test_webhook_failing_twice_then_succeeding_gets_the_event_once_more(
    subscribe, receiver, region_a, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    receiver.statuses = [500, 503]

    # Eager Celery: each retry the outbox queues runs as soon as it is published.
    with django_capture_on_commit_callbacks(execute=True):
        webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={"need_id": 1}, region=region_a)

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    assert len({request["headers"]["Jusur-Delivery"] for request in receiver.requests}) == 1
    assert all(verify(subscription.secret, r["headers"], r["body"]) for r in receiver.requests)
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3
    assert [(a.number, a.response_code) for a in delivery.attempt_log.order_by("number")] == [
        (1, 500),
        (2, 503),
        (3, 200),
    ]
    times = [a.started_at for a in delivery.attempt_log.order_by("number")]
    assert times == sorted(times)
    subscription.refresh_from_db()
    assert subscription.failure_count == 0

    # Run again (a duplicate message): nothing more is sent.
    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 3


def test_webhook_retry_waits_with_exponential_backoff(subscribe, receiver, region_a):
    from portal.models import OutboxMessage

    subscribe()
    receiver.statuses = [500, 500]
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a)
    delivery = WebhookDelivery.objects.get()

    webhook_deliver(delivery_id=delivery.pk)
    webhook_deliver(delivery_id=delivery.pk)

    retries = OutboxMessage.objects.filter(task_name="partners.webhook_deliver").order_by("pk")
    delays = [round((m.available_at - m.created_at).total_seconds()) for m in retries]
    assert delays == [0, 30, 60]


def test_webhook_subscription_disabled_after_repeated_failures(subscribe, receiver, region_a, partner_user, settings):
    settings.JUSUR_WEBHOOK_DISABLE_AFTER = 3
    subscription = subscribe()
    receiver.statuses = [500] * 10
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a)
    delivery = WebhookDelivery.objects.get()

    results = [webhook_deliver(delivery_id=delivery.pk) for _ in range(4)]

    assert results == [
        DeliveryStatus.PENDING,
        DeliveryStatus.PENDING,
        DeliveryStatus.CANCELLED,
        DeliveryStatus.CANCELLED,
    ]
    assert len(receiver.requests) == 3
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_at is not None
    assert partner_user.notifications.filter(kind="webhook_disabled").count() == 1
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a) == 0


def test_webhook_not_sent_without_the_event_scope(subscribe, receiver, region_a):
    subscribe(scopes=[Scope.READ_PUBLIC, Scope.WEBHOOKS], events=[WebhookEvent.MATCH_ACCEPTED])

    assert webhook_emit(event=WebhookEvent.MATCH_ACCEPTED, payload={"match_id": 1}, region=region_a) == 0
    assert not WebhookDelivery.objects.exists()


def test_webhook_not_sent_without_the_webhooks_scope(subscribe, receiver, region_a):
    subscribe(scopes=[Scope.READ_PUBLIC])

    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a) == 0


def test_webhook_not_sent_outside_the_token_region(subscribe, receiver, region_a, region_b):
    subscribe(region=region_a)

    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_b) == 0
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=None) == 0
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a) == 1


def test_webhook_not_sent_once_the_token_is_revoked(subscribe, receiver, region_a, partner_user):
    from partners.services import api_token_revoke

    subscription = subscribe()
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a)
    api_token_revoke(token=subscription.token, by=partner_user)

    status = webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)

    assert status == DeliveryStatus.CANCELLED
    assert receiver.requests == []
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a) == 0


def test_webhook_subscription_refuses_internal_addresses(make_token, settings):
    from django.core.exceptions import ValidationError

    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = False
    token, _ = make_token([Scope.WEBHOOKS])

    for url in ["http://example.org/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.1/x"]:
        with pytest.raises(ValidationError):
            webhook_subscription_create(token=token, url=url, events=[WebhookEvent.NEED_PUBLISHED])
    assert not WebhookSubscription.objects.exists()


def test_webhook_api_creates_subscription_and_shows_secret_once(token_client, receiver):
    client = token_client([Scope.READ_PUBLIC, Scope.WEBHOOKS])

    created = client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["need.published"]}, format="json")

    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert [item["id"] for item in listed] == [created.json()["id"]]
    assert "secret" not in listed[0]


def test_webhook_api_hides_other_partners_subscriptions(subscribe, token_client, db):
    from tests.factories import PartnerOrganisationFactory

    subscription = subscribe()
    other = token_client([Scope.WEBHOOKS], partner=PartnerOrganisationFactory())

    assert other.get("/api/v1/webhooks/").json()["results"] == []
    assert other.get(f"/api/v1/webhooks/{subscription.pk}/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{subscription.pk}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists()


def test_webhook_disable_notice_is_emailed(
    subscribe, receiver, region_a, partner_user, settings, django_capture_on_commit_callbacks
):
    settings.JUSUR_WEBHOOK_DISABLE_AFTER = 1
    subscribe()
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        webhook_emit(event=WebhookEvent.NEED_PUBLISHED, payload={}, region=region_a)

    assert [message.to for message in mail.outbox] == [[partner_user.email]]
