"""API filters of the pseudonymised expert list.

Not diaspora.filtersets.ExpertProfileFilterSet as is: its `q` searches display names, which
would let a partner probe whether a named person is registered. The other filters are the
same, with the API's `<fk>` / `<fk>_id` pairs.
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from diaspora.disclosure import filter_by_country, filter_by_origin_region
from diaspora.models import ExpertProfile
from portal.api.filters import IntegerFilter
from portal.enums import EngagementFormat, Language, WorkMode
from portal.filtersets import FilterSet
from regions.models import Region
from taxonomy.models import Sector


class ExpertAPIFilterSet(FilterSet):
    skill_id = IntegerFilter(field_name="skills__skill_id", distinct=True, label=_("Has this skill (id)"))
    sector = filters.ModelChoiceFilter(
        field_name="sectors", to_field_name="code", queryset=Sector.objects.all(), distinct=True, label=_("ISIC letter")
    )
    sector_id = filters.ModelChoiceFilter(field_name="sectors", queryset=Sector.objects.all(), distinct=True)
    language = filters.ChoiceFilter(field_name="languages__language", choices=Language.choices, distinct=True)
    # The place filters select on the published (coarsened) place only: diaspora.disclosure.
    country = filters.ChoiceFilter(
        field_name="country_of_residence", choices=countries, method="filter_country",
        label=_("Published country (ISO 3166-1 alpha-2); a country with fewer than 5 experts matches none"),
    )  # fmt: skip
    origin_region = filters.ModelChoiceFilter(
        field_name="origin_region", to_field_name="code", queryset=Region.objects.all(), method="filter_region",
        label=_("HCP code of the published region of origin"),
    )  # fmt: skip
    origin_region_id = filters.ModelChoiceFilter(
        field_name="origin_region", queryset=Region.objects.all(), method="filter_region"
    )
    # Not `format`: that is DRF's renderer override (?format=csv) on every endpoint.
    engagement_format = filters.ChoiceFilter(
        field_name="formats__format", choices=EngagementFormat.choices, distinct=True
    )
    work_mode = filters.ChoiceFilter(choices=WorkMode.choices)

    def filter_country(self, queryset, name, value):
        return filter_by_country(queryset, value)

    def filter_region(self, queryset, name, value):
        return filter_by_origin_region(queryset, value)

    class Meta:
        model = ExpertProfile
        fields = [
            "skill_id", "sector", "sector_id", "language", "country", "origin_region", "origin_region_id",
            "engagement_format", "work_mode",
        ]  # fmt: skip
