"""The investment app's filter sets, one per model, shared by the list pages and the API.
Invalid values are reported by the form, never raised: a bad query string filters nothing
instead of failing. `<fk>` takes the public code (HCP code, ISIC letter), `<fk>_id` the id."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filtersets import FilterSet
from portal.permissions import is_national, is_official
from regions.models import Commune, Province, Region
from taxonomy.models import Sector

from .enums import OpportunityStatus, ProjectStage, ProjectStatus
from .models import MAX_AMOUNT_MAD, Opportunity, Project


class _UserFilterSet(FilterSet):
    def __init__(self, *args, user=None, **kwargs):
        # The pages pass `user`; the API's filter backend passes `request`.
        self.user = user if user is not None else getattr(kwargs.get("request"), "user", None)
        super().__init__(*args, **kwargs)


def _search(queryset, name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


def _places():
    """region, region_id, sector, sector_id, province, province_id: each page shows the first
    of a pair (by code); the API takes both."""
    return (
        django_filters.ModelChoiceFilter(
            label=_("Region"), queryset=Region.objects.order_by("code"), field_name="region", to_field_name="code"
        ),
        django_filters.ModelChoiceFilter(queryset=Region.objects.all(), field_name="region"),
        django_filters.ModelChoiceFilter(
            label=_("Sector"), queryset=Sector.objects.order_by("code"), field_name="sector", to_field_name="code"
        ),
        django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="sector"),
        django_filters.ModelChoiceFilter(
            label=_("Province"), queryset=Province.objects.order_by("code"), field_name="province", to_field_name="code"
        ),
        django_filters.ModelChoiceFilter(queryset=Province.objects.all(), field_name="province"),
    )


class OpportunityFilterSet(_UserFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_search, max_length=100, field_name="title")
    region, region_id, sector, sector_id, province, province_id = _places()
    amount_min = django_filters.NumberFilter(
        label=_("I can invest at least (MAD)"), method="filter_amount_min", min_value=0, max_value=MAX_AMOUNT_MAD,
    )  # fmt: skip
    amount_max = django_filters.NumberFilter(
        label=_("I can invest at most (MAD)"), method="filter_amount_max", min_value=0, max_value=MAX_AMOUNT_MAD,
    )  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OpportunityStatus.choices)
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.all(), field_name="commune", to_field_name="code"
    )
    commune_id = django_filters.ModelChoiceFilter(queryset=Commune.objects.all(), field_name="commune")
    land_available = django_filters.BooleanFilter()
    premises_available = django_filters.BooleanFilter()

    page_filters = ("q", "sector", "region", "province", "amount_min", "amount_max", "status")

    class Meta:
        model = Opportunity
        fields = ["q", "sector", "region", "province", "amount_min", "amount_max", "status", "region_id",
                  "sector_id", "province_id", "commune", "commune_id", "land_available",
                  "premises_available"]  # fmt: skip

    # An opportunity fits a budget when its range overlaps the investor's [min, max].
    def filter_amount_min(self, queryset, name, value):
        return queryset if value is None else queryset.filter(investment_max_mad__gte=value)

    def filter_amount_max(self, queryset, name, value):
        return queryset if value is None else queryset.filter(investment_min_mad__lte=value)


class ProjectFilterSet(_UserFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_search, max_length=100, field_name="title")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=ProjectStage.choices)
    region, region_id, sector, sector_id, province, province_id = _places()
    opportunity_id = django_filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), field_name="opportunity")
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="filter_mine", widget=django_filters.widgets.BooleanWidget(),
        field_name="assigned_officer",
    )  # fmt: skip
    overdue = django_filters.BooleanFilter(
        label=_("Response overdue"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget(),
        field_name="due_at",
    )  # fmt: skip

    page_filters = ("q", "status", "stage", "sector", "region", "province", "mine", "overdue")

    class Meta:
        model = Project
        fields = ["q", "status", "stage", "region", "region_id", "sector", "sector_id", "province", "province_id",
                  "opportunity_id", "mine", "overdue"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None or not (is_official(self.user) or is_national(self.user)):
            # Only officials have projects assigned to them and deadlines to answer.
            self.filters.pop("mine", None)
            self.filters.pop("overdue", None)

    def filter_mine(self, queryset, name, value):
        if not value or self.user is None or not self.user.is_authenticated:
            return queryset
        return queryset.filter(assigned_officer=self.user)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class PartnerProjectFilterSet(ProjectFilterSet):
    """The API's projects (partner tokens): the officials' work-queue filters are the pages'."""

    mine = overdue = None

    class Meta(ProjectFilterSet.Meta):
        fields = [name for name in ProjectFilterSet.Meta.fields if name not in ("mine", "overdue")]
