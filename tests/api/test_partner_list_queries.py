"""The partner-only and scoped lists keep a constant number of queries, at 1 and at 50 rows
(the public lists are pinned in test_lists.py and beside each app's API tests)."""

import uuid

import pytest
from django.utils import timezone

from dashboards.enums import OpenDataTable
from dashboards.models import OpenDataSnapshot
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope, WebhookEvent
from partners.models import NeedProposal, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.diaspora.factories import ConsentingExpertFactory
from tests.regions.factories import NeedFactory, RoadmapAxisFactory, RoadmapFactory

ROWS = [1, 50]


@pytest.fixture
def run_need(partner_user, region_a, official_a, taxonomy):
    """A need of region A accepted from partner_user's proposal: the partner runs it."""
    roadmap = RoadmapFactory(region=region_a, version=1, created_by=official_a)
    need = NeedFactory(axis=RoadmapAxisFactory(roadmap=roadmap), owner=official_a)
    NeedProposal.objects.create(
        partner=partner_user.partner, region=region_a, title=need.title, description="…", format=need.format,
        work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
    )  # fmt: skip
    return need


def _engaged(need, rows: int) -> None:
    for rank in range(1, rows + 1):
        match = Match.objects.create(
            need=need, profile=ConsentingExpertFactory(), score=0.5, rank=rank, status="accepted"
        )
        Engagement.objects.create(match=match)


def _warm(client, url: str):
    """The token's last_used_at is written on its first use of the minute: not part of a page."""
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_matches_queries_constant(rows, run_need, token_client, django_assert_num_queries):
    _engaged(run_need, rows)
    client = token_client([Scope.READ_EXPERTS])
    _warm(client, "/api/v1/matches/")

    # token, page (cursor: no COUNT), one bulk INSERT of the partner's reads (diaspora.access_log)
    with django_assert_num_queries(3):
        response = client.get("/api/v1/matches/?limit=50")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_engagements_queries_constant(rows, run_need, token_client, django_assert_num_queries):
    _engaged(run_need, rows)
    client = token_client([Scope.WRITE_OUTCOMES])
    _warm(client, "/api/v1/engagements/")

    # token, COUNT, page (with the match), one bulk INSERT of the partner's reads (diaspora.access_log)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/engagements/?limit=50")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_need_proposals_queries_constant(
    rows, partner_user, region_a, taxonomy, token_client, django_assert_num_queries
):
    for number in range(rows):
        NeedProposal.objects.create(
            partner=partner_user.partner,
            region=region_a,
            title=f"Proposition {number}",
            description="…",
            format="training",
            work_mode="remote",
            skills=[{"skill_id": 1, "weight": 3, "essential": False}],
        )
    client = token_client([Scope.WRITE_NEEDS])
    _warm(client, "/api/v1/need-proposals/")

    with django_assert_num_queries(3):  # token, COUNT, page (with region and sector)
        response = client.get("/api/v1/need-proposals/?limit=50")

    assert len(response.json()["results"]) == rows


def _subscriptions(make_token, partner_user, rows: int) -> list[WebhookSubscription]:
    token, _plaintext = make_token([Scope.READ_PUBLIC, Scope.WEBHOOKS])
    return [
        WebhookSubscription.objects.create(
            partner=partner_user.partner,
            token=token,
            url=f"https://hooks.example.org/{number}",
            events=[WebhookEvent.NEED_PUBLISHED],
            secret="s",
        )
        for number in range(rows)
    ]


@pytest.mark.parametrize("rows", ROWS)
def test_webhooks_queries_constant(rows, make_token, partner_user, token_client, django_assert_num_queries):
    _subscriptions(make_token, partner_user, rows)
    client = token_client([Scope.READ_PUBLIC, Scope.WEBHOOKS])  # the events' scope: it sees them
    _warm(client, "/api/v1/webhooks/")

    with django_assert_num_queries(3):  # token, COUNT, page
        response = client.get("/api/v1/webhooks/?limit=50")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_webhook_deliveries_queries_constant(
    rows, make_token, partner_user, region_a, token_client, django_assert_num_queries
):
    [subscription] = _subscriptions(make_token, partner_user, 1)
    for _ in range(rows):
        delivery = WebhookDelivery.objects.create(
            subscription=subscription,
            event=WebhookEvent.NEED_PUBLISHED,
            event_id=uuid.uuid4(),
            object_id=1,
            attempts=2,
        )
        for number in (1, 2):
            WebhookAttempt.objects.create(
                delivery=delivery, number=number, started_at=timezone.now(), response_code=500
            )
    client = token_client([Scope.READ_PUBLIC, Scope.WEBHOOKS])
    _warm(client, "/api/v1/webhook-deliveries/")

    with django_assert_num_queries(3):  # token, page (cursor: no COUNT), attempts
        response = client.get("/api/v1/webhook-deliveries/?limit=50")

    assert len(response.json()["results"]) == rows
    assert {len(row["attempt_log"]) for row in response.json()["results"]} == {2}


# Open data has one row per table: "many" is every table there is.
@pytest.mark.parametrize("tables", [1, len(OpenDataTable.values)])
def test_open_data_queries_constant(tables, api, db, django_assert_num_queries):
    for table in OpenDataTable.values[:tables]:
        OpenDataSnapshot.objects.create(
            table=table, columns=["region"], rows=[{"region": "05"}], refreshed_at=timezone.now()
        )

    with django_assert_num_queries(1):
        response = api.get("/api/v1/open-data/")

    assert len(response.json()) == tables
