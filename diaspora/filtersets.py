import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.api.filters import IntegerFilter
from portal.enums import EngagementFormat, Language
from portal.filtersets import FilterSet
from regions.models import Region
from taxonomy.models import Sector

from .models import ExpertProfile


class ExpertProfileFilterSet(FilterSet):
    """Filters of the officials' expert list (and, later, of the partner API)."""

    q = django_filters.CharFilter(label=_("Name contains"), field_name="display_name", lookup_expr="icontains")
    skill = IntegerFilter(label=_("Skill"), field_name="skills__skill_id", distinct=True)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="sectors", queryset=Sector.objects.order_by("code"), distinct=True
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), field_name="languages__language", choices=Language.choices, distinct=True
    )
    country = django_filters.ChoiceFilter(
        label=_("Country of residence"), field_name="country_of_residence", choices=countries
    )
    origin_region = django_filters.ModelChoiceFilter(
        label=_("Region of origin"), field_name="origin_region", queryset=Region.objects.order_by("code")
    )
    format = django_filters.ChoiceFilter(
        label=_("Engagement format"), field_name="formats__format", choices=EngagementFormat.choices, distinct=True
    )

    class Meta:
        model = ExpertProfile
        fields: list[str] = []
