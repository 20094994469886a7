"""The territories' filter sets: one per model, shared by the public pages and the API.

NetBox's convention: `<fk>` takes the related object's public code (HCP code), `<fk>_id` its
numeric id; both repeatable in the API (?region=05&region=02), one value from a page's
drop-down (portal.filtersets.OneOfSelect). Labels are what a page shows; `help_text` is the
API schema's description of the parameter."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portal.api.filters import BoundedIsoDateTimeFilter, CodeMultipleChoiceFilter, IntegerFilter
from portal.enums import EngagementFormat, WorkMode
from portal.filtersets import FilterSet, OneOfSelect
from taxonomy.models import Sector, Skill

from .enums import (
    AxisKind,
    CommuneKind,
    MeetingStatus,
    NeedStatus,
    PartnershipStatus,
    ProvinceKind,
    RoadmapStatus,
    StakeholderKind,
)
from .models import (
    Commune,
    ConsultationMeeting,
    Need,
    NeedSkill,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
    Study,
)


def _name_search(queryset, name, value):
    value = value.strip()[:100]
    if not value:
        return queryset
    fields = ["name_ar", "name_fr", *(["name_en"] if queryset.model is Region else [])]
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


def _region_filters(field_name: str = "region", **code_kwargs):
    """The `region` (HCP code) and `region_id` pair, on `field_name`."""
    code_kwargs.setdefault("label", _("Region (HCP code)"))
    return (
        CodeMultipleChoiceFilter(
            field_name=field_name, to_field_name="code", queryset=Region.objects.all(), **code_kwargs
        ),
        filters.ModelMultipleChoiceFilter(field_name=field_name, queryset=Region.objects.all(), label=_("Region (id)")),
    )


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
    region, region_id = _region_filters()

    class Meta:
        model = Province
        fields = ["q", "code", "kind", "region", "region_id"]


class CommuneFilterSet(FilterSet):
    q = filters.CharFilter(method=_name_search, label=_("Name contains (Arabic or French)"))
    code = filters.CharFilter()
    kind = filters.MultipleChoiceFilter(choices=CommuneKind.choices)
    region, region_id = _region_filters()
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


@extend_schema_field(OpenApiTypes.INT)
class SkillFilter(filters.ModelChoiceFilter):
    """A skill by id (typed for the schema)."""


class RoadmapFilterSet(FilterSet):
    region, region_id = _region_filters()
    status = filters.MultipleChoiceFilter(choices=RoadmapStatus.choices)
    version = IntegerFilter()

    class Meta:
        model = Roadmap
        fields = ["region", "region_id", "status", "version"]


class NeedFilterSet(FilterSet):
    """Filters of a need list. `skill` matches needs that require the skill; `remote` keeps
    needs that can be done from abroad (remote, or remote or on site)."""

    region, region_id = _region_filters(
        label=_("Region"), help_text=_("Region (HCP code)"), widget=OneOfSelect(empty_label=_("All regions"))
    )
    sector = CodeMultipleChoiceFilter(
        field_name="sector", to_field_name="code", queryset=Sector.objects.all(), label=_("Sector"),
        help_text=_("Sector (ISIC letter)"), widget=OneOfSelect(empty_label=_("All sectors")),
    )  # fmt: skip
    sector_id = filters.ModelMultipleChoiceFilter(field_name="sector", queryset=Sector.objects.all())
    skill = SkillFilter(
        queryset=Skill.objects.all(), method="filter_skill", label=_("Skill"), help_text=_("Skill (id)"),
        empty_label=_("All skills"), field_name="skills__skill",
    )  # fmt: skip
    skill_id = SkillFilter(
        queryset=Skill.objects.all(), method="filter_skill", label=_("Skill (id)"), field_name="skills__skill"
    )
    # Not `format`: that is DRF's renderer override (?format=csv) on every API endpoint.
    engagement_format = filters.MultipleChoiceFilter(
        field_name="format", choices=EngagementFormat.choices, label=_("Format"),
        widget=OneOfSelect(empty_label=_("All formats")),
    )  # fmt: skip
    remote = filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        method="filter_remote",
        label=_("Can be done remotely"),
        empty_label=_("Remote or on site"),
    )
    work_mode = filters.MultipleChoiceFilter(choices=WorkMode.choices)
    province = filters.ModelChoiceFilter(
        queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All provinces")
    )
    province_id = filters.ModelMultipleChoiceFilter(field_name="province", queryset=Province.objects.all())
    commune = CodeMultipleChoiceFilter(
        field_name="commune", to_field_name="code", queryset=Commune.objects.all(), label=_("Commune (HCP code)")
    )
    commune_id = filters.ModelMultipleChoiceFilter(field_name="commune", queryset=Commune.objects.all())
    roadmap_id = filters.ModelMultipleChoiceFilter(field_name="roadmap", queryset=Roadmap.objects.all())
    axis = filters.ChoiceFilter(
        field_name="axis__kind", choices=AxisKind.choices, label=_("Axis"), empty_label=_("All axes")
    )
    axis_id = filters.ModelMultipleChoiceFilter(field_name="axis", queryset=RoadmapAxis.objects.all())
    status = filters.MultipleChoiceFilter(
        choices=NeedStatus.choices, label=_("Status"), widget=OneOfSelect(empty_label=_("Any status"))
    )
    published_after = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    q = filters.CharFilter(method="filter_q", label=_("Title or description contains"))

    page_filters = ("region", "sector", "skill", "engagement_format", "remote", "province", "axis", "status")

    class Meta:
        model = Need
        fields = [
            "region", "region_id", "sector", "sector_id", "skill", "skill_id", "engagement_format", "remote",
            "work_mode", "province", "province_id", "commune", "commune_id", "roadmap_id", "axis", "axis_id", "status",
            "published_after", "published_before", "q",
        ]  # fmt: skip

    def filter_skill(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(NeedSkill.objects.filter(need=OuterRef("pk"), skill=value)))

    def filter_remote(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        remote = (WorkMode.REMOTE, WorkMode.BOTH)
        return queryset.filter(work_mode__in=remote) if value == "true" else queryset.exclude(work_mode__in=remote)

    def filter_q(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class PageNeedFilterSet(NeedFilterSet):
    """The public pages' drop-downs: the skill list holds only skills that public needs ask
    for (a short list rather than all of ESCO), and on a region's page only its provinces."""

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        public = Need.objects.public()
        if region is not None:
            public = public.filter(region=region)
            self.filters["province"].queryset = Province.objects.filter(region=region)
            del self.filters["region"]
        self.filters["skill"].queryset = Skill.objects.filter(need_links__need__in=public).distinct()


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
    region, region_id = _region_filters("regions", label=_("Region covered (HCP code)"))
    year_min = IntegerFilter(field_name="year", lookup_expr="gte")
    year_max = IntegerFilter(field_name="year", lookup_expr="lte")
    q = filters.CharFilter(method="filter_q", label=_("Title, authors, institutions or abstract contains"))

    class Meta:
        model = Study
        fields = ["region", "region_id", "year_min", "year_max", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
