"""Public association member counts follow the open-data rules (issue 13, item 7): only members
who consent to statistics, 0 or at least 10, rounded to 5 — the same for every persona."""

import re

import pytest

from diaspora.models import AssociationMembership
from diaspora.selectors import association_get, association_list
from tests.diaspora.factories import AssociationFactory, ExpertProfileFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _members(association, *, consenting: int, refusing: int = 0, without_profile: int = 0, inactive: int = 0):
    users = [ExpertProfileFactory(consent_statistics=True).user for _ in range(consenting)]
    users += [ExpertProfileFactory(consent_statistics=False).user for _ in range(refusing)]
    users += [UserFactory() for _ in range(without_profile)]
    users += [ExpertProfileFactory(consent_statistics=True, is_active=False).user for _ in range(inactive)]
    AssociationMembership.objects.bulk_create(AssociationMembership(association=association, user=u) for u in users)
    return users


@pytest.mark.parametrize(
    ("consenting", "refusing", "published"),
    [(0, 3, 0), (4, 20, None), (9, 0, None), (10, 0, 10), (12, 5, 10), (13, 0, 15), (27, 2, 25)],
)
def test_published_count_counts_only_consenting_members_rounded(consenting, refusing, published):
    association = AssociationFactory()
    _members(association, consenting=consenting, refusing=refusing, without_profile=2, inactive=1)

    assert association_get(pk=association.pk).member_count == published
    assert [a.member_count for a in association_list()] == [published]


@pytest.fixture
def clubs():
    small = AssociationFactory(name="Atlas Club")
    big = AssociationFactory(name="Rif Network")
    small_members = _members(small, consenting=3, refusing=12)
    _members(big, consenting=13, refusing=4)
    return small, big, small_members[0]


def _shown(body: str) -> list[str]:
    return re.findall(r"Members: ([^<·]+?)\s*(?:<|·)", body)


def _members_cell(body: str) -> str:
    return re.search(r"<dt>Members</dt><dd>([^<]+?) <small", body).group(1)


@pytest.mark.parametrize("persona", ["anonymous", "member", "official_a", "official_b", "partner"])
def test_listing_shows_the_same_protected_counts_to_every_persona(
    clubs, persona, client, client_for, official_a, official_b, partner_user
):
    small, _, small_member = clubs
    user = {"member": small_member, "official_a": official_a, "official_b": official_b, "partner": partner_user}
    browser = client if persona == "anonymous" else client_for(user[persona])

    listing = browser.get("/en/diaspora/associations/").content.decode()
    detail = browser.get(f"/en/diaspora/associations/{small.pk}/").content.decode()

    assert _shown(listing) == ["fewer than 10", "15"]
    assert _members_cell(detail) == "fewer than 10"


def test_detail_never_shows_the_exact_count(clubs, client):
    _, big, _ = clubs

    detail = client.get(f"/en/diaspora/associations/{big.pk}/").content.decode()

    assert _members_cell(detail) == "15"  # 13 consenting (17 members in all), rounded to 5
