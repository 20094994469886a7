from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Q, When
from django.db.models.functions import Greatest, Length

from portal.i18n import current_language, pick

from .enums import LabelKind
from .models import Skill, SkillLabel
from .text import fold

SEARCH_CONFIGS = ("arabic", "french", "english", "spanish")


def skill_search(*, query: str, limit: int = 20, concept_type: str | None = None) -> list[Skill]:
    """Skills whose label in any language matches `query`, best first (two queries).

    PostgreSQL: full-text search with each label's own language stemmer (so «المهندسين»
    finds «مهندس»), plus trigram similarity for typos. SQLite: folded substring match.
    """
    folded = fold(query)[:200]
    if len(folded) < 2:
        return []
    labels = SkillLabel.objects.all()
    if concept_type:
        labels = labels.filter(skill__concept_type=concept_type)
    if connection.vendor == "postgresql":
        ts_query = SearchQuery(folded, config=SEARCH_CONFIGS[0])
        for config in SEARCH_CONFIGS[1:]:
            ts_query |= SearchQuery(folded, config=config)
        # A skill found through its own (preferred) label comes before one found only through a
        # synonym, however well the synonym scores (issue 18: «طاقة» put "types of wind turbines",
        # alias «طاقة الرياح», before "renewable energy"); typo-only matches come last.
        direct = Q(search_vector=ts_query) | Q(folded__contains=folded)
        labels = (
            labels.filter(direct | Q(folded__trigram_similar=folded))
            .annotate(
                tier=Case(
                    When(direct & Q(kind=LabelKind.PREFERRED), then=2),
                    When(direct, then=1),
                    default=0,
                    output_field=IntegerField(),
                ),
                rank=Greatest(SearchRank("search_vector", ts_query), TrigramSimilarity("folded", folded)),
            )
            .order_by("-tier", "-rank", "skill_id")
        )
    else:
        preferred = Case(When(kind=LabelKind.PREFERRED, then=0), default=1, output_field=IntegerField())
        labels = labels.filter(folded__contains=folded).order_by(preferred, Length("folded"), "skill_id")
    ranked: list[int] = []
    for skill_id in labels.values_list("skill_id", flat=True)[: limit * 10]:
        if skill_id not in ranked:
            ranked.append(skill_id)
            if len(ranked) == limit:
                break
    by_id = Skill.objects.in_bulk(ranked)
    return [by_id[pk] for pk in ranked]


def skill_briefs(ids) -> dict[int, tuple[str, str]]:
    """{skill id: (uri, label in the active language)} for `ids`, in one query by primary key.

    API lists read skills this way rather than joined to their rows: on a page of 50 the
    planner otherwise hashes the whole taxonomy (13,502 rows with ESCO; 10 ms) instead of
    looking up the ~400 skills shown (bench/api.py)."""
    skills = Skill.objects.filter(pk__in=set(ids)).order_by().values_list("pk", "uri", "labels")
    language = current_language()  # once, not once per skill
    return {pk: (uri, pick(labels, language)) for pk, uri, labels in skills}
