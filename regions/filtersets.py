"""django-filter FilterSets, shared by the public pages and the partner API."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.enums import EngagementFormat, WorkMode
from portal.filtersets import FilterSet
from taxonomy.models import Sector, Skill

from .enums import AxisKind, NeedStatus
from .models import Need, NeedSkill, Province, Region


class NeedFilterSet(FilterSet):
    """Filters of a need list. `skill` matches needs that require the skill; `remote` keeps
    needs that can be done from abroad (remote, or remote or on site)."""

    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", label=_("Region"), empty_label=_("All regions")
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", label=_("Sector"), empty_label=_("All sectors")
    )
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), method="filter_skill", label=_("Skill"), empty_label=_("All skills")
    )
    format = django_filters.ChoiceFilter(
        choices=EngagementFormat.choices, label=_("Format"), empty_label=_("All formats")
    )
    remote = django_filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        method="filter_remote",
        label=_("Can be done remotely"),
        empty_label=_("Remote or on site"),
    )
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All provinces")
    )
    axis = django_filters.ChoiceFilter(
        field_name="axis__kind", choices=AxisKind.choices, label=_("Axis"), empty_label=_("All axes")
    )
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices, label=_("Status"), empty_label=_("Any status"))

    class Meta:
        model = Need
        fields = ["region", "sector", "skill", "format", "remote", "province", "axis", "status"]

    def filter_skill(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(NeedSkill.objects.filter(need=OuterRef("pk"), skill=value)))

    def filter_remote(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        remote = (WorkMode.REMOTE, WorkMode.BOTH)
        return queryset.filter(work_mode__in=remote) if value == "true" else queryset.exclude(work_mode__in=remote)


class PageNeedFilterSet(NeedFilterSet):
    """The filters of the public pages: the skill list holds only skills that public needs ask
    for (a short list rather than all of ESCO), and on a region's page only its provinces."""

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        public = Need.objects.public()
        if region is not None:
            public = public.filter(region=region)
            self.filters["province"].queryset = Province.objects.filter(region=region)
            del self.filters["region"]
        self.filters["skill"].queryset = Skill.objects.filter(need_links__need__in=public).distinct()
