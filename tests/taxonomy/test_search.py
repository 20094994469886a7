import pytest
from django.db import connection

from taxonomy.enums import ConceptType
from taxonomy.models import Sector, Skill, SkillLabel
from taxonomy.selectors import skill_search
from taxonomy.services import starter_taxonomy_load
from taxonomy.text import fold

pytestmark = pytest.mark.django_db

ACCOUNTING = "http://data.europa.eu/esco/skill/ecc18804-a466-40d9-98b4-fba5cd67dd4b"


def test_starter_taxonomy_has_three_languages(taxonomy):
    skills = Skill.objects.filter(concept_type=ConceptType.SKILL)
    assert skills.count() == 309
    assert Skill.objects.filter(concept_type=ConceptType.GROUP).count() == 12
    assert all(set(labels) >= {"ar", "fr", "en"} for labels in skills.values_list("labels", flat=True))
    assert Sector.objects.count() == 21


def test_starter_taxonomy_reload_changes_nothing(taxonomy):
    result = starter_taxonomy_load()
    assert (result.created, result.updated, result.labels_added, result.labels_removed, result.relations_added) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert result.unchanged == 321


@pytest.mark.parametrize("query", ["محاسبة", "comptabilité", "comptabilite", "accounting", "Accounting"])
def test_skill_search_finds_accounting_in_every_language(taxonomy, query):
    results = skill_search(query=query)
    assert results[0].uri == ACCOUNTING


def test_skill_search_uses_arabic_stemming(taxonomy):
    # «المحاسبة» (with the article) stems to the same word as «محاسبة».
    assert skill_search(query="المحاسبة")[0].uri == ACCOUNTING


def test_skill_search_tolerates_a_typo(taxonomy):
    assert ACCOUNTING in [skill.uri for skill in skill_search(query="acounting")]


def test_skill_search_takes_two_queries(taxonomy, django_assert_num_queries):
    with django_assert_num_queries(2):
        skill_search(query="irrigation")


def test_skill_search_short_or_empty_query_returns_nothing(taxonomy, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert skill_search(query=" ") == []
        assert skill_search(query="a") == []


def test_skill_label_vectors_are_filled(taxonomy):
    assert not SkillLabel.objects.filter(search_vector__isnull=True).exists()


def test_database_ctype_is_utf8_so_arabic_has_trigrams(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
        cursor.execute("SELECT show_trgm(%s)", ["محاسبة"])
        trigrams = cursor.fetchone()[0]
    assert ctype.lower().replace("-", "").endswith("utf8")
    assert len(trigrams) == 7


def test_fold_strips_accents_and_arabic_variants():
    assert fold("  Comptabilité  Générale ") == "comptabilite generale"
    assert fold("إدارة المُحاسَبة") == "اداره المحاسبه"
