"""Candidate cards: where the expert comes from and lives (the city only once their contact is
shared), a regional tie that names the place, and ranks without holes after a withdrawal."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from diaspora.enums import ConsentPurpose
from diaspora.services import consent_set
from matching import services
from matching.enums import MatchStatus
from matching.models import Match
from regions.models import Province
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """These tests open pages in several languages; a request leaves its language active in the
    thread, and later tests reverse() URLs in the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


@pytest.fixture
def province(region_a):
    return Province.objects.filter(region=region_a, kind="province").order_by("code").first()


def _page(client, need_obj, language="en") -> str:
    url = reverse("matching:candidate_list", kwargs={"need_id": need_obj.pk})
    return client.get(f"/{language}{url[3:]}").content.decode()


def _card(page: str, match: Match) -> str:
    start = page.index(f'id="match-{match.pk}"')
    end = page.find('<li class="candidate"', start + 1)
    return page[start : end if end > 0 else page.index("</ol>", start)]


def test_the_card_says_where_the_expert_comes_from_and_lives(skill, region_a, province, official_a, client_for):
    expert(skills=[skill], origin_region=region_a, origin_province=province, country_of_residence="BE", city="Liège")
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get()

    card = _card(_page(client_for(official_a), need_obj), match)

    place = f"{region_a.name_en}, {province.name_fr} province"
    assert f"Comes from {place}" in card
    assert "Lives in Belgium" in card
    assert f"From {place}" in card  # the regional tie, named
    assert "the need&#x27;s region" not in card and "the need's region" not in card
    assert "Liège" not in card  # not shared before an accepted invitation


def test_the_city_appears_once_the_contact_is_shared(skill, region_a, province, official_a, client_for):
    profile = expert(skills=[skill], origin_region=region_a, country_of_residence="FR", city="Lyon")
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    Match.objects.update(status=MatchStatus.ACCEPTED)
    client = client_for(official_a)

    shared = _card(_page(client, need_obj), Match.objects.get())
    consent_set(profile=profile, choices={ConsentPurpose.CONTACT: False})
    withdrawn = _card(_page(client, need_obj), Match.objects.get())

    assert "Lives in Lyon, France" in shared
    assert "Lyon" not in withdrawn and "Lives in France" in withdrawn


def test_the_tie_is_named_in_arabic_and_french(skill, region_a, province, official_a, client_for):
    expert(skills=[skill], origin_region=region_a, origin_province=province)
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    client = client_for(official_a)

    french = _card(_page(client, need_obj, "fr"), Match.objects.get())
    arabic = _card(_page(client, need_obj, "ar"), Match.objects.get())

    assert f"Attache régionale : {region_a.name_fr}, {province.name_fr} (province)" in french
    assert f"Origine : {region_a.name_fr}, {province.name_fr} (province)" in french
    assert f"من {region_a.name_ar}، إقليم {province.name_ar}" in arabic


def test_ranks_are_renumbered_when_a_candidate_withdraws_consent(skill, official_a, client_for):
    for _ in range(3):
        expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    first = Match.objects.get(rank=1)
    # The withdrawal hides the row at once; the task that re-ranks has not run yet.
    first.profile.consent_matching = False
    first.profile.save(update_fields=["consent_matching"])
    assert sorted(Match.objects.filter(rank__isnull=False).values_list("rank", flat=True)) == [1, 2, 3]

    page = _page(client_for(official_a), need_obj)

    assert re.findall(r'<span class="rank">#(\d+)</span>', page) == ["1", "2"]
