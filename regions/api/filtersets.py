"""API filters of the territories. NetBox's convention: `<fk>` takes the related object's
public code (HCP code), `<fk>_id` its numeric id; both repeatable (?region=05&region=02)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portal.api.filters import BoundedIsoDateTimeFilter, CodeMultipleChoiceFilter, IntegerFilter
from portal.enums import EngagementFormat
from portal.filtersets import FilterSet
from regions.enums import (
    CommuneKind,
    MeetingStatus,
    NeedStatus,
    PartnershipStatus,
    ProvinceKind,
    RoadmapStatus,
    StakeholderKind,
)
from regions.filtersets import NeedFilterSet
from regions.models import (
    Commune,
    ConsultationMeeting,
    Need,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
    Study,
)
from taxonomy.models import Sector, Skill


def _name_search(queryset, name, value):
    value = value.strip()[:100]
    if not value:
        return queryset
    fields = ["name_ar", "name_fr", *(["name_en"] if queryset.model is Region else [])]
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


class RegionFilterSet(FilterSet):
    q = filters.CharFilter(method=_name_search, label=_("Name contains (Arabic, French or English)"))
    code = filters.MultipleChoiceFilter(choices=[(f"{n:02d}", f"{n:02d}") for n in range(1, 13)])
    is_pilot = filters.BooleanFilter()

    class Meta:
        model = Region
        fields = ["q", "code", "is_pilot"]


class ProvinceFilterSet(FilterSet):
    q = filters.CharFilter(method=_name_search, label=_("Name contains (Arabic or French)"))
    code = filters.CharFilter()
    kind = filters.MultipleChoiceFilter(choices=ProvinceKind.choices)
    region = CodeMultipleChoiceFilter(
        field_name="region", to_field_name="code", queryset=Region.objects.all(), label=_("Region (HCP code)")
    )
    region_id = filters.ModelMultipleChoiceFilter(
        field_name="region", queryset=Region.objects.all(), label=_("Region (id)")
    )

    class Meta:
        model = Province
        fields = ["q", "code", "kind", "region", "region_id"]


class CommuneFilterSet(FilterSet):
    q = filters.CharFilter(method=_name_search, label=_("Name contains (Arabic or French)"))
    code = filters.CharFilter()
    kind = filters.MultipleChoiceFilter(choices=CommuneKind.choices)
    region = CodeMultipleChoiceFilter(
        field_name="region", to_field_name="code", queryset=Region.objects.all(), label=_("Region (HCP code)")
    )
    region_id = filters.ModelMultipleChoiceFilter(
        field_name="region", queryset=Region.objects.all(), label=_("Region (id)")
    )
    province = CodeMultipleChoiceFilter(
        field_name="province", to_field_name="code", queryset=Province.objects.all(), label=_("Province (HCP code)")
    )
    province_id = filters.ModelMultipleChoiceFilter(
        field_name="province", queryset=Province.objects.all(), label=_("Province (id)")
    )

    class Meta:
        model = Commune
        fields = ["q", "code", "kind", "region", "region_id", "province", "province_id"]


# --- Roadmaps, needs, consultation, civil society, research -------------------------------


def _region_filters():
    return (
        CodeMultipleChoiceFilter(
            field_name="region", to_field_name="code", queryset=Region.objects.all(), label=_("Region (HCP code)")
        ),
        filters.ModelMultipleChoiceFilter(field_name="region", queryset=Region.objects.all(), label=_("Region (id)")),
    )


@extend_schema_field(OpenApiTypes.INT)
class SkillFilter(filters.ModelChoiceFilter):
    """A skill by id (the portal's filter, typed for the schema)."""


class RoadmapFilterSet(FilterSet):
    region, region_id = _region_filters()
    status = filters.MultipleChoiceFilter(choices=RoadmapStatus.choices)
    version = IntegerFilter()

    class Meta:
        model = Roadmap
        fields = ["region", "region_id", "status", "version"]


class NeedAPIFilterSet(NeedFilterSet):
    """The portal's need filters (regions.filtersets), plus the API's `<fk>_id` twins, the
    roadmap, a publication date range and a text search."""

    region, region_id = _region_filters()
    status = filters.MultipleChoiceFilter(choices=NeedStatus.choices)
    sector = CodeMultipleChoiceFilter(
        field_name="sector", to_field_name="code", queryset=Sector.objects.all(), label=_("Sector (ISIC letter)")
    )
    sector_id = filters.ModelMultipleChoiceFilter(field_name="sector", queryset=Sector.objects.all())
    skill = SkillFilter(queryset=Skill.objects.all(), method="filter_skill", label=_("Skill (id)"))
    skill_id = SkillFilter(queryset=Skill.objects.all(), method="filter_skill", label=_("Skill (id)"))
    province_id = filters.ModelMultipleChoiceFilter(field_name="province", queryset=Province.objects.all())
    commune = CodeMultipleChoiceFilter(
        field_name="commune", to_field_name="code", queryset=Commune.objects.all(), label=_("Commune (HCP code)")
    )
    commune_id = filters.ModelMultipleChoiceFilter(field_name="commune", queryset=Commune.objects.all())
    roadmap_id = filters.ModelMultipleChoiceFilter(field_name="roadmap", queryset=Roadmap.objects.all())
    axis_id = filters.ModelMultipleChoiceFilter(field_name="axis", queryset=RoadmapAxis.objects.all())
    published_after = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    q = filters.CharFilter(method="filter_q", label=_("Title or description contains"))
    # `format` is DRF's renderer override (?format=csv) on every endpoint: renamed here.
    engagement_format = filters.MultipleChoiceFilter(field_name="format", choices=EngagementFormat.choices)

    class Meta:
        model = Need
        fields = [
            "region", "region_id", "sector", "sector_id", "skill", "skill_id", "engagement_format", "remote",
            "province", "province_id", "commune", "commune_id", "roadmap_id", "axis", "axis_id", "status",
            "published_after", "published_before", "q",
        ]  # fmt: skip

    def filter_q(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


del NeedAPIFilterSet.base_filters["format"]


class StakeholderFilterSet(FilterSet):
    region, region_id = _region_filters()
    kind = filters.MultipleChoiceFilter(choices=StakeholderKind.choices)
    q = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Stakeholder
        fields = ["region", "region_id", "kind", "q"]


class MeetingFilterSet(FilterSet):
    region, region_id = _region_filters()
    roadmap_id = filters.ModelMultipleChoiceFilter(field_name="roadmap", queryset=Roadmap.objects.all())
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices)
    starts_after = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = ConsultationMeeting
        fields = ["region", "region_id", "roadmap_id", "status", "starts_after", "starts_before"]


class PartnershipFilterSet(FilterSet):
    region, region_id = _region_filters()
    status = filters.MultipleChoiceFilter(choices=PartnershipStatus.choices)
    partner_id = filters.ModelMultipleChoiceFilter(
        field_name="partners", queryset=Stakeholder.objects.all(), label=_("Stakeholder (id)")
    )
    start_after = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = filters.DateFilter(field_name="start_date", lookup_expr="lt")

    class Meta:
        model = Partnership
        fields = ["region", "region_id", "status", "partner_id", "start_after", "start_before"]


class StudyFilterSet(FilterSet):
    region = CodeMultipleChoiceFilter(
        field_name="regions", to_field_name="code", queryset=Region.objects.all(), label=_("Region covered (HCP code)")
    )
    region_id = filters.ModelMultipleChoiceFilter(field_name="regions", queryset=Region.objects.all())
    year_min = IntegerFilter(field_name="year", lookup_expr="gte")
    year_max = IntegerFilter(field_name="year", lookup_expr="lte")
    q = filters.CharFilter(method="filter_q", label=_("Title, authors, institutions or abstract contains"))

    class Meta:
        model = Study
        fields = ["region", "region_id", "year_min", "year_max", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
