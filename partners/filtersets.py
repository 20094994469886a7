import django_filters as filters
from django.utils.translation import gettext_lazy as _

from partners.enums import DeliveryStatus, ProposalStatus, WebhookEvent
from partners.models import NeedProposal, WebhookDelivery, WebhookSubscription
from portal.api.filters import BoundedIsoDateTimeFilter, CodeMultipleChoiceFilter, IntegerFilter
from portal.filtersets import FilterSet
from regions.models import Region


class WebhookSubscriptionFilterSet(FilterSet):
    is_active = filters.BooleanFilter()

    class Meta:
        model = WebhookSubscription
        fields = ["is_active"]


class WebhookDeliveryFilterSet(FilterSet):
    subscription_id = IntegerFilter(field_name="subscription_id")
    event = filters.ChoiceFilter(choices=WebhookEvent.choices)
    status = filters.MultipleChoiceFilter(choices=DeliveryStatus.choices)
    created_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = WebhookDelivery
        fields = ["subscription_id", "event", "status", "created_after", "created_before"]


class NeedProposalFilterSet(FilterSet):
    region = CodeMultipleChoiceFilter(
        field_name="region", to_field_name="code", queryset=Region.objects.all(), label=_("Region (HCP code)")
    )
    region_id = filters.ModelMultipleChoiceFilter(field_name="region", queryset=Region.objects.all())
    status = filters.MultipleChoiceFilter(choices=ProposalStatus.choices)
    created_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = NeedProposal
        fields = ["region", "region_id", "status", "created_after", "created_before"]
