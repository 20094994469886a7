"""Partners subscribed to need events are told when a need is published or closed."""

import pytest

from partners.enums import Scope
from partners.models import WebhookDelivery, WebhookSubscription
from partners.services import api_token_create
from regions.services import need_transition

pytestmark = pytest.mark.django_db


def _subscribe(partner_user, *, region=None):
    token, _plaintext = api_token_create(
        partner=partner_user.partner,
        created_by=partner_user,
        name="hooks",
        scopes=[Scope.READ_PUBLIC, Scope.WEBHOOKS],
        region=region,
    )
    return WebhookSubscription.objects.create(
        partner=partner_user.partner,
        token=token,
        url="https://partner.example.org/hooks",
        events=["need.published", "need.closed"],
        secret="s3cret",
    )


def test_publishing_then_closing_a_need_emits_two_events(draft_need_a, official_a, partner_user):
    subscription = _subscribe(partner_user)
    need_transition(need=draft_need_a, to="open", by=official_a)
    need_transition(need=draft_need_a, to="closed", by=official_a)
    deliveries = WebhookDelivery.objects.filter(subscription=subscription).order_by("pk")
    assert [(d.event, d.payload["need_id"], d.payload["status"]) for d in deliveries] == [
        ("need.published", draft_need_a.pk, "open"),
        ("need.closed", draft_need_a.pk, "closed"),
    ]
    assert deliveries[0].payload["region"] == "05"


def test_a_token_restricted_to_another_region_is_not_told(draft_need_a, official_a, partner_user, region_b):
    _subscribe(partner_user, region=region_b)
    need_transition(need=draft_need_a, to="open", by=official_a)
    assert not WebhookDelivery.objects.exists()
