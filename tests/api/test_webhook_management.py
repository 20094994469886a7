"""Managing webhooks stays within the token's own region and scopes: a token restricted to a
region sees, reads and deletes only the subscriptions made by tokens of that region; a token
sees no subscription to an event whose scope it lacks. A refused delete changes nothing."""

import uuid

import pytest
from rest_framework.test import APIClient

from partners.enums import Scope, WebhookEvent
from partners.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

ALL = list(Scope.values)


@pytest.fixture
def subscriptions(make_token, partner_user, region_a, region_b):
    """Three subscriptions of one organisation: by an unrestricted token, by a token of region
    A, by a token of region B; each with one delivery."""

    def subscribe(name, region, events):
        token, _ = make_token(ALL, region=region)
        subscription = WebhookSubscription.objects.create(
            partner=partner_user.partner, token=token, url=f"https://hooks.example.org/{name}", events=events,
            secret="whsec_AA==",
        )  # fmt: skip
        WebhookDelivery.objects.create(subscription=subscription, event=events[0], event_id=uuid.uuid4(), object_id=1)
        return subscription

    return {
        "all": subscribe("all", None, [WebhookEvent.NEED_PUBLISHED]),
        "a": subscribe("a", region_a, [WebhookEvent.NEED_PUBLISHED, WebhookEvent.MATCH_ACCEPTED]),
        "b": subscribe("b", region_b, [WebhookEvent.NEED_PUBLISHED]),
    }


@pytest.fixture
def client_of(make_token):
    def make(scopes, region=None):
        _token, plaintext = make_token(scopes, region=region)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        return client

    return make


def _listed(client, path="/api/v1/webhooks/"):
    return sorted(row["id"] for row in client.get(path, {"limit": 100}).json()["results"])


def test_a_region_token_lists_only_its_region_subscriptions(subscriptions, client_of, region_b):
    client = client_of(ALL, region=region_b)
    unrestricted = client_of(ALL)

    assert _listed(client) == [subscriptions["b"].pk]
    deliveries = client.get("/api/v1/webhook-deliveries/", {"limit": 100}).json()["results"]
    assert [row["subscription"] for row in deliveries] == [subscriptions["b"].pk]
    # An unrestricted token of the organisation manages every region's.
    assert _listed(unrestricted) == sorted(s.pk for s in subscriptions.values())


def test_a_region_token_cannot_read_or_delete_another_subscription(subscriptions, client_of, region_b):
    client = client_of(ALL, region=region_b)
    other = subscriptions["a"]
    delivery = other.deliveries.get()

    assert client.get(f"/api/v1/webhooks/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/webhook-deliveries/{delivery.pk}/").status_code == 404
    for target in (subscriptions["all"], other):
        response = client.delete(f"/api/v1/webhooks/{target.pk}/")
        assert response.status_code == 404
        assert set(response.json()) == {"error"}
    # Refused: nothing changed.
    assert WebhookSubscription.objects.count() == 3
    assert WebhookDelivery.objects.count() == 3
    # Its own region's subscription it deletes.
    assert client.delete(f"/api/v1/webhooks/{subscriptions['b'].pk}/").status_code == 204
    assert sorted(WebhookSubscription.objects.values_list("pk", flat=True)) == sorted(
        [subscriptions["all"].pk, subscriptions["a"].pk]
    )


def test_a_token_without_an_event_scope_does_not_see_that_subscription(subscriptions, client_of):
    client = client_of([Scope.READ_PUBLIC, Scope.WEBHOOKS])  # no read:experts: not match.accepted
    target = subscriptions["a"]

    assert _listed(client) == sorted([subscriptions["all"].pk, subscriptions["b"].pk])
    assert client.delete(f"/api/v1/webhooks/{target.pk}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=target.pk).exists()


def test_a_token_cannot_subscribe_beyond_its_scopes(client_of, settings):
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    client = client_of([Scope.READ_PUBLIC, Scope.WEBHOOKS])

    response = client.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.org/new", "events": ["need.published", "engagement.completed"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"events": ["This API token lacks the scope write:outcomes."]}
    assert not WebhookSubscription.objects.exists()


def test_webhook_api_creates_subscription_and_shows_secret_once(client_of, settings):
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    client = client_of([Scope.READ_PUBLIC, Scope.WEBHOOKS])

    created = client.post(
        "/api/v1/webhooks/", {"url": "https://hooks.example.org/x", "events": ["need.published"]}, format="json"
    )

    assert created.status_code == 201
    assert created.json()["secret"] == WebhookSubscription.objects.get().secret
    assert created.json()["secret"].startswith("whsec_")
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert [item["id"] for item in listed] == [created.json()["id"]]
    assert "secret" not in listed[0]


def test_webhook_api_hides_other_partners_subscriptions(subscriptions, client_of, make_token):
    from tests.factories import PartnerOrganisationFactory

    _token, plaintext = make_token(ALL, partner=PartnerOrganisationFactory())
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    target = subscriptions["all"]

    assert other.get("/api/v1/webhooks/").json()["results"] == []
    assert other.get(f"/api/v1/webhooks/{target.pk}/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{target.pk}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=target.pk).exists()
