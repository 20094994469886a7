"""The partner user's home: their organisation only, its tokens (create, revoke), webhooks and
their deliveries, need proposals with their status, the API docs; constant queries."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from partners import services
from partners.enums import DeliveryStatus, ProposalStatus, WebhookEvent
from partners.models import APIToken, NeedProposal, WebhookDelivery, WebhookSubscription
from tests.factories import PartnerOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """These tests open pages in several languages; a request leaves its language active in the
    thread, and later tests reverse() URLs in the default language."""
    yield
    translation.deactivate()


URL = "/en/partners/"


def _fill(partner, region, *, rows: int = 1, tag: str = "") -> None:
    for k in range(rows):
        token, _plain = services.api_token_create(
            partner=partner, created_by=None, name=f"{tag} token {k}", scopes=["read:public", "webhooks"]
        )
        subscription = WebhookSubscription.objects.create(
            partner=partner, token=token, url=f"https://hooks.example.org/{tag}/{k}",
            events=[WebhookEvent.NEED_PUBLISHED], secret=f"whsec_{tag}_secret_{k}",
        )  # fmt: skip
        WebhookDelivery.objects.create(
            subscription=subscription, event=WebhookEvent.NEED_PUBLISHED, event_id=uuid.uuid4(),
            status=DeliveryStatus.FAILED, attempts=3, response_code=502, last_error=f"{tag} error detail {k}",
        )  # fmt: skip
        NeedProposal.objects.create(
            partner=partner, region=region, title=f"{tag} proposal {k}", description="…", format="training",
            work_mode="remote", status=ProposalStatus.DECLINED if k % 2 else ProposalStatus.SUBMITTED,
        )  # fmt: skip


def test_the_partner_home_shows_their_organisation_only(region_a, partner_user, client_for):
    _fill(partner_user.partner, region_a, tag="Ours")
    _fill(PartnerOrganisationFactory(name="Someone else"), region_a, tag="Theirs")

    response = client_for(partner_user).get(URL)
    page = response.content.decode()

    assert response.status_code == 200
    assert f"<h1>{partner_user.partner.name}</h1>" in page
    assert "Ours token 0" in page and "https://hooks.example.org/Ours/0" in page and "Ours proposal 0" in page
    assert "Submitted" in page and "need.published" in page
    assert "Theirs" not in page and "Someone else" not in page
    # the signing secret and the attempt's error stay out of the page
    assert "whsec_" not in page and "error detail" not in page
    for url in (reverse("partners:apitoken_create"), reverse("api-docs"), reverse("api-redoc")):
        assert url in page
    token = APIToken.objects.get(name="Ours token 0")
    assert reverse("partners:apitoken_revoke", args=[token.pk]) in page


def test_an_empty_partner_home_says_so_in_every_block(partner_user, client_for):
    page = client_for(partner_user).get(URL).content.decode()

    assert page.count('class="empty"') == 4


def test_a_token_is_created_then_revoked_from_the_home(partner_user, client_for):
    client = client_for(partner_user)

    created = client.post(
        reverse("partners:apitoken_create"), {"name": "ERP sync", "scopes": ["read:public"], "lifetime_days": "90"}
    )
    token = APIToken.objects.get(partner=partner_user.partner, name="ERP sync")
    listed = client.get(URL).content.decode()
    revoked = client.post(reverse("partners:apitoken_revoke", args=[token.pk]))
    token.refresh_from_db()

    assert created.status_code == 200
    assert "ERP sync" in listed and "active" in listed
    assert revoked.status_code == 302 and token.revoked_at is not None


@pytest.mark.parametrize("persona", ["member", "official_a", "coordinator"])
def test_the_partner_home_is_refused_to_others(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_a_partner_user_without_organisation_is_refused(client_for, db):
    assert client_for(UserFactory(role="partner")).get(URL).status_code == 403


@pytest.mark.parametrize("rows", [1, 8])
def test_partner_home_constant_queries(region_a, partner_user, client_for, django_assert_num_queries, rows):
    _fill(partner_user.partner, region_a, rows=rows, tag="Ours")
    client = client_for(partner_user)

    # session, user, organisation, tokens, subscriptions, deliveries, proposals
    with django_assert_num_queries(7):
        response = client.get(URL)

    assert len(response.context["home"].tokens) == rows
    assert len(response.context["home"].deliveries) == rows


@pytest.mark.parametrize(
    ("language", "heading", "menu"),
    [
        ("ar", "مؤسستكم", "مؤسستي"),
        ("fr", "Votre organisation", "Mon organisation"),
        ("en", "Your organisation", "My organisation"),
    ],
)
def test_the_partner_home_speaks_each_language(partner_user, client_for, language, heading, menu):
    page = client_for(partner_user).get(f"/{language}/partners/").content.decode()

    assert f">{heading}</h2>" in page
    assert f'data-menu="partner_home" aria-current="page">{menu}</a>' in page
