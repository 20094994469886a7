from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from partners import services
from partners.enums import Scope
from partners.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from portal.api.pagination import CursorPagination
from portal.api.permissions import request_token

from .filtersets import WebhookDeliveryFilterSet, WebhookSubscriptionFilterSet
from .serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionWriteSerializer,
)


def _partner_id(request) -> int | None:
    token = request_token(request)
    return token.partner_id if token is not None else None


class WebhookSubscriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, GenericViewSet
):
    """Your organisation's webhook subscriptions. A subscription acts with the rights of the
    token that created it: events outside its scopes or region are never sent."""

    serializer_class = WebhookSubscriptionSerializer
    filterset_class = WebhookSubscriptionFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    required_scopes = Scope.WEBHOOKS

    def get_queryset(self):
        return WebhookSubscription.objects.filter(partner_id=_partner_id(self.request))

    @extend_schema(request=WebhookSubscriptionWriteSerializer, responses={201: WebhookSubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        payload = WebhookSubscriptionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            subscription = services.webhook_subscription_create(
                token=request_token(request),
                url=payload.validated_data["url"],
                events=list(payload.validated_data["events"]),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.webhook_subscription_delete(subscription=instance)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The delivery log of your subscriptions: status, attempts and each attempt's answer."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id"]
    ordering = ["-id"]
    required_scopes = Scope.WEBHOOKS

    def get_queryset(self):
        return WebhookDelivery.objects.filter(subscription__partner_id=_partner_id(self.request)).prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
