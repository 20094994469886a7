from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Greatest, Length

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
        labels = (
            labels.filter(Q(search_vector=ts_query) | Q(folded__trigram_similar=folded) | Q(folded__contains=folded))
            .annotate(rank=Greatest(SearchRank("search_vector", ts_query), TrigramSimilarity("folded", folded)))
            .order_by("-rank", "skill_id")
        )
    else:
        labels = labels.filter(folded__contains=folded).order_by(Length("folded"), "skill_id")
    ranked: list[int] = []
    for skill_id in labels.values_list("skill_id", flat=True)[: limit * 10]:
        if skill_id not in ranked:
            ranked.append(skill_id)
            if len(ranked) == limit:
                break
    by_id = Skill.objects.in_bulk(ranked)
    return [by_id[pk] for pk in ranked]
