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
        secret="whsec_czNjcmV0",
    )


def test_publishing_then_fulfilling_a_need_emits_two_events(draft_need_a, official_a, partner_user):
    subscription = _subscribe(partner_user)
    need_transition(need=draft_need_a, to="open", by=official_a)
    need_transition(need=draft_need_a, to="in_progress", by=official_a)
    need_transition(need=draft_need_a, to="fulfilled", by=official_a)
    deliveries = WebhookDelivery.objects.filter(subscription=subscription).order_by("pk")
    assert [(d.event, d.object_id) for d in deliveries] == [
        ("need.published", draft_need_a.pk),
        ("need.closed", draft_need_a.pk),
    ]


def test_closing_a_need_is_not_announced_once_the_api_hides_it(draft_need_a, official_a, partner_user):
    # A closed need leaves the public API (404 to partners): its closing carries nothing a
    # partner may read, so no delivery is made (docs/api/webhooks.md).
    subscription = _subscribe(partner_user)
    need_transition(need=draft_need_a, to="open", by=official_a)
    need_transition(need=draft_need_a, to="closed", by=official_a)
    deliveries = WebhookDelivery.objects.filter(subscription=subscription)
    assert [(d.event, d.object_id) for d in deliveries] == [("need.published", draft_need_a.pk)]


def test_a_token_restricted_to_another_region_is_not_told(draft_need_a, official_a, partner_user, region_b):
    _subscribe(partner_user, region=region_b)
    need_transition(need=draft_need_a, to="open", by=official_a)
    assert not WebhookDelivery.objects.exists()
