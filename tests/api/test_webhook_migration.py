"""Migration 0004 keeps every subscription's signing key while giving it the Standard Webhooks
form, and keeps pending deliveries pointing at their object."""

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from standardwebhooks import Webhook

from tests.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("partners", "0003_engagementoutcome")]
AFTER = [("partners", "0004_webhooks_object_id_standard_secrets")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_migration_converts_secrets_keeping_their_key_and_names_the_objects():
    old_apps = _migrate(BEFORE)
    try:
        # The organisation through today's model: other apps' later migrations add its columns.
        partner = PartnerOrganisationFactory()
        token = old_apps.get_model("partners", "APIToken").objects.create(
            partner_id=partner.pk, name="t", prefix="abcd1234", digest="0" * 64, scopes=["read:experts", "webhooks"],
            expires_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
        old_secret = "whsec_Xk3-_yt0kPZ9rQ1mT2vB7nW4hJ6cL8sD0fG5aE1uI3o"  # the old token_urlsafe form
        subscription = old_apps.get_model("partners", "WebhookSubscription").objects.create(
            partner_id=partner.pk, token=token, url="https://hooks.example.org/x", events=["match.accepted"],
            secret=old_secret,
        )  # fmt: skip
        Delivery = old_apps.get_model("partners", "WebhookDelivery")
        pending = Delivery.objects.create(
            subscription=subscription, event="match.accepted", event_id=uuid.uuid4(), payload={"match_id": 42}
        )
        done = Delivery.objects.create(
            subscription=subscription, event="match.accepted", event_id=uuid.uuid4(), payload={"match_id": 7},
            status="succeeded",
        )  # fmt: skip
    finally:
        new_apps = _migrate(AFTER)

    new_secret = new_apps.get_model("partners", "WebhookSubscription").objects.get(pk=subscription.pk).secret
    at = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    signed = Webhook(new_secret).sign(msg_id="msg_1", timestamp=at, data=b"{}")
    # The key is the one the old signature used: the old secret's bytes.
    old_key_signature = hmac.new(old_secret.encode(), f"msg_1.{int(at.timestamp())}.{{}}".encode(), hashlib.sha256)
    assert signed == "v1," + base64.b64encode(old_key_signature.digest()).decode()
    assert new_secret.startswith("whsec_")
    Delivery = new_apps.get_model("partners", "WebhookDelivery")
    assert Delivery.objects.get(pk=pending.pk).object_id == 42
    assert Delivery.objects.get(pk=done.pk).object_id is None  # finished: nothing to point at
