"""The expert profiles' filter set, shared by the officials' expert list and the partner API.

Partners read pseudonymised experts (PartnerExpertFilterSet): no search by display name, which
would let a partner probe whether a named person is registered, and the place filters select
on the published (coarsened) place only (diaspora.disclosure)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.api.filters import IntegerFilter
from portal.enums import EngagementFormat, Language, WorkMode
from portal.filtersets import FilterSet
from regions.models import Region
from taxonomy.models import Sector

from .disclosure import filter_by_country, filter_by_origin_region
from .models import ExpertProfile


class ExpertProfileFilterSet(FilterSet):
    """Filters of the officials' expert list; `<fk>` by public code, `<fk>_id` by id."""

    # Officials see the real places, partners the published ones only.
    published_places_only = False

    q = django_filters.CharFilter(label=_("Name contains"), field_name="display_name", lookup_expr="icontains")
    skill_id = IntegerFilter(
        label=_("Skill"), help_text=_("Has this skill (id)"), field_name="skills__skill_id", distinct=True
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), help_text=_("ISIC letter"), field_name="sectors", to_field_name="code",
        queryset=Sector.objects.order_by("code"), distinct=True,
    )  # fmt: skip
    sector_id = django_filters.ModelChoiceFilter(field_name="sectors", queryset=Sector.objects.all(), distinct=True)
    language = django_filters.ChoiceFilter(
        label=_("Language"), field_name="languages__language", choices=Language.choices, distinct=True
    )
    country = django_filters.ChoiceFilter(
        label=_("Country of residence"), field_name="country_of_residence", choices=countries, method="filter_country",
        help_text=_("Published country (ISO 3166-1 alpha-2); a country with fewer than 5 experts matches none"),
    )  # fmt: skip
    origin_region = django_filters.ModelChoiceFilter(
        label=_("Region of origin"), field_name="origin_region", to_field_name="code",
        queryset=Region.objects.order_by("code"), method="filter_origin_region",
        help_text=_("HCP code of the published region of origin"),
    )  # fmt: skip
    origin_region_id = django_filters.ModelChoiceFilter(
        field_name="origin_region", queryset=Region.objects.all(), method="filter_origin_region"
    )
    # Not `format`: that is DRF's renderer override (?format=csv) on every API endpoint.
    engagement_format = django_filters.ChoiceFilter(
        label=_("Engagement format"), field_name="formats__format", choices=EngagementFormat.choices, distinct=True
    )
    work_mode = django_filters.ChoiceFilter(choices=WorkMode.choices)

    page_filters = ("q", "skill_id", "sector", "language", "country", "origin_region", "engagement_format")

    class Meta:
        model = ExpertProfile
        fields: list[str] = []

    def filter_country(self, queryset, name, value):
        if self.published_places_only:
            return filter_by_country(queryset, value)
        return queryset.filter(country_of_residence=value)

    def filter_origin_region(self, queryset, name, value):
        if self.published_places_only:
            return filter_by_origin_region(queryset, value)
        return queryset.filter(origin_region=value)


class PartnerExpertFilterSet(ExpertProfileFilterSet):
    """The partner API's expert filters (see the module's docstring)."""

    published_places_only = True
    q = None
