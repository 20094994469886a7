"""Webhooks against a REAL HTTP receiver on 127.0.0.1: Standard Webhooks signatures, retries,
rights and visibility re-read through the API at every attempt, and no second DNS lookup."""

import json
import shutil
import socket
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from standardwebhooks import Webhook, WebhookVerificationError

from partners.enums import DeliveryStatus, Scope, WebhookEvent
from partners.models import WebhookDelivery, WebhookSubscription
from partners.services import api_token_revoke
from partners.webhooks import webhook_deliver, webhook_emit, webhook_subscription_create
from portal.models import OutboxMessage
from regions.models import Need
from regions.services import need_transition
from tests.api.receiver import Receiver
from tests.regions.factories import NeedFactory, NeedSkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(region_a, official_a):
    need = NeedFactory(owner=official_a)
    NeedSkillFactory(need=need)
    return need


@pytest.fixture
def subscribe(make_token, receiver):
    def make(scopes=(Scope.READ_PUBLIC, Scope.WEBHOOKS), events=(WebhookEvent.NEED_PUBLISHED,), **token_kwargs):
        token, plaintext = make_token(scopes, **token_kwargs)
        subscription = webhook_subscription_create(token=token, url=receiver.url, events=list(events))
        subscription.plaintext = plaintext
        return subscription

    return make


def test_webhook_is_signed_in_the_standard_webhooks_format(
    subscribe, receiver, need, api, django_capture_on_commit_callbacks
):
    subscription = subscribe()

    with django_capture_on_commit_callbacks(execute=True):
        queued = webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)

    assert queued == 1
    [request] = receiver.requests
    body = Webhook(subscription.secret).verify(request["body"], request["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 44).verify(request["body"], request["headers"])
    assert subscription.secret.startswith("whsec_")
    assert body["type"] == "need.published"
    assert request["headers"]["webhook-id"] == body["id"] == str(WebhookDelivery.objects.get().event_id)
    assert "Jusur-Signature" not in request["headers"]
    # The data is what the API answers this token for the need.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {subscription.plaintext}")
    assert body["data"] == api.get(f"/api/v1/needs/{need.pk}/").json()
    assert body["data"]["title"] == need.title


def test_webhook_body_is_read_at_the_attempt_not_at_the_event(subscribe, receiver, need):
    subscribe()
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    Need.objects.filter(pk=need.pk).update(title="Nouveau titre")

    webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)

    [request] = receiver.requests
    assert json.loads(request["body"])["data"]["title"] == "Nouveau titre"


def test_webhook_failing_twice_then_succeeding_gets_the_event_once_more(
    subscribe, receiver, need, django_capture_on_commit_callbacks
):
    subscription = subscribe()
    receiver.statuses = [500, 503]

    # Eager Celery: each retry the outbox queues runs as soon as it is published.
    with django_capture_on_commit_callbacks(execute=True):
        webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)

    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    assert len({request["headers"]["webhook-id"] for request in receiver.requests}) == 1
    for request in receiver.requests:
        Webhook(subscription.secret).verify(request["body"], request["headers"])
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3
    assert [(a.number, a.response_code) for a in delivery.attempt_log.order_by("number")] == [
        (1, 500),
        (2, 503),
        (3, 200),
    ]
    subscription.refresh_from_db()
    assert subscription.failure_count == 0

    # Run again (a duplicate message): nothing more is sent.
    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 3


def test_webhook_retry_waits_with_exponential_backoff(subscribe, receiver, need):
    subscribe()
    receiver.statuses = [500, 500]
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    delivery = WebhookDelivery.objects.get()

    webhook_deliver(delivery_id=delivery.pk)
    webhook_deliver(delivery_id=delivery.pk)

    retries = OutboxMessage.objects.filter(task_name="partners.webhook_deliver").order_by("pk")
    delays = [round((m.available_at - m.created_at).total_seconds()) for m in retries]
    assert delays == [0, 30, 60]


def test_webhook_subscription_disabled_after_repeated_failures(subscribe, receiver, need, partner_user, settings):
    settings.JUSUR_WEBHOOK_DISABLE_AFTER = 3
    subscription = subscribe()
    receiver.statuses = [500] * 10
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
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
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk) == 0


def test_webhook_withheld_at_a_retry_once_the_object_left_the_api(subscribe, receiver, need, official_a):
    subscribe(events=[WebhookEvent.NEED_PUBLISHED])
    receiver.statuses = [500]
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    need_transition(need=need, to="closed", by=official_a)  # a closed need is no longer public

    status = webhook_deliver(delivery_id=delivery.pk)

    assert status == DeliveryStatus.WITHHELD
    assert len(receiver.requests) == 1  # only the first attempt, before the need was closed
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.WITHHELD, 1, None)


def test_webhook_redirect_is_a_failed_attempt_not_followed(subscribe, receiver, need):
    subscribe()
    receiver.statuses = [302]
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    delivery = WebhookDelivery.objects.get()

    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.PENDING

    assert [request["path"] for request in receiver.requests] == ["/hook"]
    assert list(delivery.attempt_log.values_list("response_code", "error")) == [(302, "HTTP 302")]


def test_webhook_not_sent_without_the_event_scope(make_token, receiver, need, partner_user):
    # Made directly: the API refuses such a subscription, but delivery must not rely on that.
    token, _ = make_token([Scope.WEBHOOKS])
    WebhookSubscription.objects.create(
        partner=partner_user.partner, token=token, url=receiver.url, events=["need.published"], secret="whsec_AA=="
    )

    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk) == 0
    assert not WebhookDelivery.objects.exists()


def test_webhook_not_sent_without_the_webhooks_scope(make_token, receiver, need, partner_user):
    token, _ = make_token([Scope.READ_PUBLIC])
    WebhookSubscription.objects.create(
        partner=partner_user.partner, token=token, url=receiver.url, events=["need.published"], secret="whsec_AA=="
    )

    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk) == 0


def test_webhook_not_sent_outside_the_token_region(subscribe, receiver, need, region_a, region_b):
    subscribe(region=region_b)

    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk) == 0
    subscribe(region=region_a)
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk) == 1


def test_webhook_not_sent_once_the_token_is_revoked(subscribe, receiver, need, partner_user):
    subscription = subscribe()
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    api_token_revoke(token=subscription.token, by=partner_user)

    status = webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)

    assert status == DeliveryStatus.CANCELLED
    assert receiver.requests == []
    assert webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk) == 0


def test_webhook_subscription_refuses_internal_addresses(make_token, settings):
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = False
    token, _ = make_token([Scope.READ_PUBLIC, Scope.WEBHOOKS])

    for url in ["http://example.org/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.1/x"]:
        with pytest.raises(ValidationError):
            webhook_subscription_create(token=token, url=url, events=[WebhookEvent.NEED_PUBLISHED])
    assert not WebhookSubscription.objects.exists()


def test_webhook_subscription_refuses_events_beyond_the_token_scopes(make_token, receiver):
    token, _ = make_token([Scope.READ_PUBLIC, Scope.WEBHOOKS])

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        webhook_subscription_create(token=token, url=receiver.url, events=["need.published", "match.accepted"])

    assert refused.value.message_dict == {"events": ["This API token lacks the scope read:experts."]}
    assert not WebhookSubscription.objects.exists()


def test_webhook_disable_notice_is_emailed(
    subscribe, receiver, need, partner_user, settings, django_capture_on_commit_callbacks
):
    settings.JUSUR_WEBHOOK_DISABLE_AFTER = 1
    subscribe()
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)

    assert [message.to for message in mail.outbox] == [[partner_user.email]]


# --- DNS: one lookup, every address checked, the connection made to the checked address -----


@pytest.fixture
def dns(monkeypatch):
    """Answers for hook.partner.test, a name no real resolver knows: `answers` is consumed one
    list per lookup (a rebinding server answers differently each time); other names resolve."""
    real = socket.getaddrinfo
    state = {"answers": [], "lookups": 0}

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "hook.partner.test":
            return real(host, port, *args, **kwargs)
        state["lookups"] += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in state["answers"].pop(0)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return state


def _subscribe_by_name(make_token, partner_user, url):
    token, _ = make_token([Scope.READ_PUBLIC, Scope.WEBHOOKS])
    return WebhookSubscription.objects.create(
        partner=partner_user.partner, token=token, url=url, events=["need.published"], secret="whsec_AA=="
    )


def test_webhook_keeps_the_hostname_for_the_host_header(dns, receiver, make_token, partner_user, need):
    dns["answers"] = [["127.0.0.1"], ["127.0.0.1"]]
    _subscribe_by_name(make_token, partner_user, f"http://hook.partner.test:{receiver.port}/hook")
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)

    status = webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)

    assert status == DeliveryStatus.SUCCEEDED
    assert dns["lookups"] == 1
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"hook.partner.test:{receiver.port}"


def test_webhook_dns_rebinding_cannot_reach_an_internal_address(
    dns, receiver, make_token, partner_user, need, settings, monkeypatch
):
    # The rebinding server answers a public address to the first lookup, then the internal
    # receiver. The check sees the public one: the connection must go there, and only there.
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = False
    public = "93.184.215.14"
    dns["answers"] = [[public], ["127.0.0.1"], ["127.0.0.1"]]
    connected = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        connected.append(address[0])
        if address[0] == public:  # the network boundary: no packet leaves the test machine
            raise ConnectionRefusedError("test: public address not contacted")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    _subscribe_by_name(make_token, partner_user, f"https://hook.partner.test:{receiver.port}/hook")
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    delivery = WebhookDelivery.objects.get()

    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.PENDING

    assert receiver.requests == []
    assert dns["lookups"] == 1
    assert connected == [public]


def test_webhook_refuses_a_name_that_resolves_inside_at_delivery(dns, make_token, partner_user, need, settings):
    # The name was public when subscribed; at delivery it resolves to the metadata address.
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = False
    dns["answers"] = [["169.254.169.254"]]
    _subscribe_by_name(make_token, partner_user, "https://hook.partner.test/hook")
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    delivery = WebhookDelivery.objects.get()

    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.PENDING

    assert dns["lookups"] == 1
    assert list(delivery.attempt_log.values_list("response_code", "error")) == [(None, "refused: internal address")]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for hook.partner.test: (certificate file, key file)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hook.partner.test",
         "-addext", "subjectAltName=DNS:hook.partner.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_webhook_https_verifies_the_hostname_on_the_pinned_address(
    dns, certificate, make_token, partner_user, need, settings
):
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True  # 127.0.0.1 stands for the partner's server
    settings.JUSUR_WEBHOOKS_CA_FILE = certificate[0]
    server = Receiver(certificate=certificate)
    dns["answers"] = [["127.0.0.1"]] * 4
    _subscribe_by_name(make_token, partner_user, f"https://hook.partner.test:{server.port}/hook")
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)

    status = webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
    server.close()

    assert status == DeliveryStatus.SUCCEEDED
    assert server.server_names == ["hook.partner.test"]
    assert [r["headers"]["Host"] for r in server.requests] == [f"hook.partner.test:{server.port}"]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_webhook_https_refuses_a_certificate_for_another_name(
    dns, certificate, make_token, partner_user, need, settings
):
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    settings.JUSUR_WEBHOOKS_CA_FILE = certificate[0]
    server = Receiver(certificate=certificate)
    _subscribe_by_name(make_token, partner_user, f"https://127.0.0.1:{server.port}/hook")  # not the certificate's name
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    delivery = WebhookDelivery.objects.get()

    assert webhook_deliver(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    server.close()

    assert server.requests == []
    [(code, error)] = delivery.attempt_log.values_list("response_code", "error")
    assert code is None
    assert "CERTIFICATE_VERIFY_FAILED" in error


INTERNAL = [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1", "240.0.0.1",
    "0.0.0.0",  # noqa: S104 - an address refused, not bound
    "100.64.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
]  # fmt: skip


@pytest.mark.parametrize("address", INTERNAL)
def test_webhook_transport_refuses_internal_addresses(address, settings):
    from partners.webhook_transport import RefusedAddress, _is_public, resolve

    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = False

    assert not _is_public(address)
    with pytest.raises(RefusedAddress):
        resolve(address, 443)


def test_webhook_transport_accepts_a_public_address(settings):
    from partners.webhook_transport import _is_public

    assert _is_public("8.8.8.8")
    assert _is_public("2001:4860:4860::8888")
