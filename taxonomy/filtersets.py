import django_filters as filters
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.api.filters import CodeMultipleChoiceFilter
from portal.filtersets import FilterSet
from taxonomy.enums import ConceptType, SkillType
from taxonomy.models import Sector, Skill
from taxonomy.selectors import skill_search

SEARCH_LIMIT = 200


class SectorFilterSet(FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Name contains (Arabic, French or English)"))
    code = filters.MultipleChoiceFilter(choices=[(chr(c), chr(c)) for c in range(ord("A"), ord("V"))])

    class Meta:
        model = Sector
        fields = ["q", "code"]

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(name_ar__icontains=value) | Q(name_fr__icontains=value) | Q(name_en__icontains=value))


class SkillFilterSet(FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        label=format_lazy(
            _(
                "Search by label in any language (Arabic, French, English, Spanish…), "
                "best matches first; at most {} results"
            ),
            SEARCH_LIMIT,
        ),
    )
    concept_type = filters.ChoiceFilter(choices=ConceptType.choices)
    skill_type = filters.ChoiceFilter(choices=SkillType.choices)
    sector = CodeMultipleChoiceFilter(
        field_name="sector",
        to_field_name="code",
        queryset=Sector.objects.all(),
        label=_("Sector (ISIC section letter)"),
    )
    sector_id = filters.ModelMultipleChoiceFilter(
        field_name="sector", queryset=Sector.objects.all(), label=_("Sector (id)")
    )
    uri = filters.CharFilter()

    class Meta:
        model = Skill
        fields = ["q", "concept_type", "skill_type", "sector", "sector_id", "uri"]

    def filter_q(self, queryset, name, value):
        ids = [skill.pk for skill in skill_search(query=value, limit=SEARCH_LIMIT)]
        if not ids:
            return queryset.none()
        # The search's ranking becomes a column the cursor paginates on (taxonomy.api.views).
        rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
        return queryset.filter(pk__in=ids).annotate(search_rank=rank)
