"""The API's side of the IDOR walk. tests/api/test_permission_matrix.py already runs every
operation of the committed schema for the anonymous visitor, a member who owns nothing of the
world (member B), an official of region B, a coordinator, and partner A's tokens (every scope,
one restricted to region B, revoked, expired); its test_matrix_covers_every_operation_of_the_schema
fails when an operation is added without a row. What it lacks is partner B: a token of another
organisation, holding every scope, naming partner A's rows."""

import re

import pytest
from rest_framework.test import APIClient

from partners.enums import Scope
from tests.api.conftest import make_token  # noqa: F401 - fixture
from tests.api.test_permission_matrix import ENDPOINTS, SECRETS, world  # noqa: F401 - fixture
from tests.factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db

# Rows that belong to partner A's organisation: another organisation is told they do not exist.
PARTNER_A_ROWS = {"{proposal}", "{subscription}", "{delivery}"}


@pytest.fixture
def partner_b_client(make_token):  # noqa: F811 - the imported fixture
    _token, plaintext = make_token(list(Scope.values), partner=PartnerOrganisationFactory(name="Partner B"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def test_partner_b_cannot_reach_partner_a_rows(world, partner_b_client):  # noqa: F811 - the imported fixture
    failures = []
    for method, path, *_ in ENDPOINTS:
        if method != "GET" or not (PARTNER_A_ROWS & set(re.findall(r"\{\w+\}", path))):
            continue
        response = partner_b_client.get(path.format(**world))
        if response.status_code != 404:
            failures.append((path, response.status_code))
    assert failures == []


def test_partner_b_lists_hold_none_of_partner_a_rows(world, partner_b_client):  # noqa: F811 - the imported fixture
    lists = {"/api/v1/need-proposals/": "proposal", "/api/v1/webhooks/": "subscription"}
    lists["/api/v1/webhook-deliveries/"] = "delivery"
    for path, key in lists.items():
        response = partner_b_client.get(path)
        assert response.status_code == 200, path
        assert world[key] not in [row["id"] for row in response.json()["results"]], path


def test_partner_b_cannot_delete_partner_a_subscription(world, partner_b_client):  # noqa: F811
    from partners.models import WebhookSubscription

    response = partner_b_client.delete(f"/api/v1/webhooks/{world['subscription']}/")
    assert response.status_code == 404
    assert WebhookSubscription.objects.filter(pk=world["subscription"]).exists()


def test_partner_b_reads_no_personal_data_anywhere(world, partner_b_client):  # noqa: F811
    text = "\n".join(
        partner_b_client.get(path.format(**world), {"limit": 200}).content.decode()
        for method, path, *_ in ENDPOINTS
        if method == "GET"
    )
    for secret in SECRETS:
        assert secret not in text


def test_partner_a_reaches_its_own_rows(world, make_token):  # noqa: F811
    """Positive control: the same paths answer 200 to partner A's token of every scope."""
    _token, plaintext = make_token(list(Scope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    for method, path, *_ in ENDPOINTS:
        if method == "GET" and PARTNER_A_ROWS & set(re.findall(r"\{\w+\}", path)):
            assert client.get(path.format(**world)).status_code == 200, path
