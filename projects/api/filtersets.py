"""The portal's filtersets (projects.filtersets), with the API's `<fk>` (public code) and
`<fk>_id` pairs."""

import django_filters as filters

from projects.filtersets import OpportunityFilterSet, ProjectFilterSet
from projects.models import Opportunity, Project
from regions.models import Province, Region
from taxonomy.models import Sector


def _pairs():
    return (
        filters.ModelChoiceFilter(queryset=Region.objects.all(), field_name="region", to_field_name="code"),
        filters.ModelChoiceFilter(queryset=Region.objects.all(), field_name="region"),
        filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="sector", to_field_name="code"),
        filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="sector"),
        filters.ModelChoiceFilter(queryset=Province.objects.all(), field_name="province", to_field_name="code"),
        filters.ModelChoiceFilter(queryset=Province.objects.all(), field_name="province"),
    )


class OpportunityAPIFilterSet(OpportunityFilterSet):
    region, region_id, sector, sector_id, province, province_id = _pairs()

    class Meta(OpportunityFilterSet.Meta):
        model = Opportunity
        fields = [*OpportunityFilterSet.Meta.fields, "region_id", "sector_id", "province_id"]


class ProjectAPIFilterSet(ProjectFilterSet):
    region, region_id, sector, sector_id, province, province_id = _pairs()
    opportunity_id = filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), field_name="opportunity")

    class Meta(ProjectFilterSet.Meta):
        model = Project
        fields = ["q", "status", "stage", "region", "region_id", "sector", "sector_id", "province", "province_id",
                  "opportunity_id"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The officials' work-queue filters (mine, overdue) are for the portal's pages.
        self.filters.pop("mine", None)
        self.filters.pop("overdue", None)


del ProjectAPIFilterSet.base_filters["mine"], ProjectAPIFilterSet.base_filters["overdue"]
