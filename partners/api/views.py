from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from partners import services, webhooks
from partners.enums import Scope
from partners.filtersets import NeedProposalFilterSet, WebhookDeliveryFilterSet, WebhookSubscriptionFilterSet
from partners.models import NeedProposal, WebhookAttempt
from partners.selectors import webhook_delivery_list, webhook_subscription_list
from portal.api.pagination import CursorPagination
from portal.api.permissions import request_token

from .serializers import (
    NeedProposalSerializer,
    NeedProposalWriteSerializer,
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
    """Your organisation's webhook subscriptions that this token may manage: those made by a
    token of its region (when it is restricted to one) whose every event needs a scope it holds.
    A subscription acts with the rights of the token that created it: each delivery carries
    what that token reads from the API, and nothing it cannot read is sent."""

    serializer_class = WebhookSubscriptionSerializer
    filterset_class = WebhookSubscriptionFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    required_scopes = Scope.WEBHOOKS

    def get_queryset(self):
        return webhook_subscription_list(token=request_token(self.request))

    @extend_schema(request=WebhookSubscriptionWriteSerializer, responses={201: WebhookSubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        payload = WebhookSubscriptionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            subscription = webhooks.webhook_subscription_create(
                token=request_token(request),
                url=payload.validated_data["url"],
                events=list(payload.validated_data["events"]),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        webhooks.webhook_subscription_delete(subscription=instance)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The delivery log of the subscriptions this token may manage: status, attempts and each
    attempt's answer."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id"]
    ordering = ["-id"]
    required_scopes = Scope.WEBHOOKS

    def get_queryset(self):
        return webhook_delivery_list(token=request_token(self.request)).prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )


class NeedProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GenericViewSet):
    """Needs your organisation proposes to a region. A proposal lands with the region's
    officials; if they accept it, it becomes a draft need of the region's roadmap (`need`)."""

    serializer_class = NeedProposalSerializer
    filterset_class = NeedProposalFilterSet
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    required_scopes = Scope.WRITE_NEEDS

    def get_queryset(self):
        return NeedProposal.objects.filter(partner_id=_partner_id(self.request)).select_related("region", "sector")

    @extend_schema(request=NeedProposalWriteSerializer, responses={201: NeedProposalSerializer})
    def create(self, request, *args, **kwargs):
        payload = NeedProposalWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        skills = [dict(item) for item in data.pop("skills")]
        languages = [dict(item) for item in data.pop("languages", [])]
        try:
            proposal = services.need_proposal_submit(
                token=request_token(request), data=data, skills=skills, languages=languages
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(NeedProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)
