"""A small hand-made golden set: obvious cases whose ranking anyone can check by eye."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from matching import selectors, services
from matching.models import Match
from portal.enums import LanguageLevel
from tests.matching.factories import SkillFactory, expert, need, skill_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def irrigation(taxonomy):
    """ "Water management" (broad) and its narrower "drip irrigation", labelled in ar/fr/en."""
    water = SkillFactory(labels={"en": "water management", "fr": "gestion de l'eau", "ar": "تدبير المياه"})
    drip = skill_under(
        water, labels={"en": "drip irrigation", "fr": "irrigation goutte à goutte", "ar": "الري بالتنقيط"}
    )
    return water, drip


def _ranking(need_obj):
    return list(
        Match.objects.filter(need=need_obj, rank__isnull=False).order_by("rank").values_list("profile", flat=True)
    )


def test_exact_skill_beats_broader_skill(irrigation, official_a):
    water, drip = irrigation
    generalist = expert(skills=[water])
    specialist = expert(skills=[drip])
    need_obj = need(skills=[drip])

    services.full_rematch()

    assert _ranking(need_obj) == [specialist.pk, generalist.pk]
    first, second = selectors.match_candidates(need=need_obj, user=official_a)
    for language, exact, partial in (
        (
            "fr",
            "irrigation goutte à goutte : correspondance exacte",
            "à travers la compétence plus large gestion de l'eau",
        ),
        ("en", "drip irrigation: exact match", "through the broader skill water management"),
        ("ar", "الري بالتنقيط: تطابق تام", "من خلال المهارة الأعم تدبير المياه"),
    ):
        with translation.override(language):
            selectors.explain([first, second])
            assert first.explanation["skills"][0]["text"].startswith(exact)
            assert partial in second.explanation["skills"][0]["text"]


def test_language_filter_excludes(irrigation):
    _water, drip = irrigation
    francophone = expert(skills=[drip], languages=[("fr", LanguageLevel.C2)])
    arabophone = expert(skills=[drip], languages=[("ar", LanguageLevel.NATIVE)])
    need_obj = need(skills=[drip], languages=[("ar", LanguageLevel.C1)])

    services.full_rematch()

    assert _ranking(need_obj) == [arabophone.pk]
    assert not Match.objects.filter(profile=francophone).exists()


def test_stale_profile_excluded(irrigation):
    _water, drip = irrigation
    fresh = expert(skills=[drip])
    stale = expert(skills=[drip], confirmed_at=timezone.now() - timedelta(days=400))
    need_obj = need(skills=[drip])

    services.full_rematch()

    assert _ranking(need_obj) == [fresh.pk]
    assert not Match.objects.filter(profile=stale).exists()


def test_regional_tie_breaks_a_tie(irrigation, region_a):
    _water, drip = irrigation
    elsewhere = expert(skills=[drip])
    from_the_region = expert(skills=[drip], origin_region=region_a)
    need_obj = need(skills=[drip])  # a need of region 05

    services.full_rematch()

    assert _ranking(need_obj) == [from_the_region.pk, elsewhere.pk]
    assert Match.objects.get(profile=from_the_region).parts["tie"] == "region"
