import django_filters as filters
from django.utils.translation import gettext_lazy as _

from matching.enums import EngagementStatus, MatchStatus
from matching.models import Engagement, Match
from portal.api.filters import CodeMultipleChoiceFilter
from portal.filtersets import FilterSet
from regions.models import Need, Region


class MatchFilterSet(FilterSet):
    need_id = filters.ModelMultipleChoiceFilter(field_name="need", queryset=Need.objects.all())
    region = CodeMultipleChoiceFilter(
        field_name="need__region", to_field_name="code", queryset=Region.objects.all(), label=_("Region (HCP code)")
    )
    region_id = filters.ModelMultipleChoiceFilter(field_name="need__region", queryset=Region.objects.all())
    status = filters.MultipleChoiceFilter(choices=MatchStatus.choices)
    min_score = filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = Match
        fields = ["need_id", "region", "region_id", "status", "min_score"]


class EngagementFilterSet(FilterSet):
    need_id = filters.ModelMultipleChoiceFilter(field_name="match__need", queryset=Need.objects.all())
    status = filters.MultipleChoiceFilter(choices=EngagementStatus.choices)

    class Meta:
        model = Engagement
        fields = ["need_id", "status"]
