import json
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.module_loading import import_string
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import ForcedAuthentication, Request

from matching.models import Engagement
from portal import permissions
from portal.i18n import API_DEFAULT_LANGUAGE

from .api.authentication import TokenPrincipal
from .enums import EVENT_SCOPES, ProposalStatus, WebhookEvent
from .models import APIToken, NeedProposal, WebhookDelivery, WebhookSubscription


def api_token_list(*, user) -> QuerySet[APIToken]:
    """The tokens `user` may manage: their own organisation's (partner users); none otherwise.
    Staff manage every token in the admin."""
    if not permissions.can(user, "partners.manage_tokens"):
        return APIToken.objects.none()
    return APIToken.objects.filter(partner_id=user.partner_id).select_related("region", "created_by")


def api_token_get(*, user, pk: int) -> APIToken:
    return get_object_or_404(api_token_list(user=user), pk=pk)


def engagements_run_by(*, partner_id: int | None):
    """Engagements a partner runs: those of needs that came from its accepted proposals."""

    if partner_id is None:
        return Engagement.objects.none()
    needs = NeedProposal.objects.filter(partner_id=partner_id, need__isnull=False).values("need_id")
    return Engagement.objects.filter(match__need_id__in=needs)


def need_proposal_list(*, user) -> QuerySet:
    """Proposals waiting for a decision in the regions `user` acts for (officials, coordinators)."""

    if not permissions.can(user, "partners.review_proposals"):
        return NeedProposal.objects.none()
    proposals = NeedProposal.objects.filter(status=ProposalStatus.SUBMITTED)
    region_ids = permissions.region_ids_for(user)
    if region_ids is not None:
        proposals = proposals.filter(region_id__in=region_ids)
    return proposals.select_related("partner", "region", "sector").order_by("-created_at", "-pk")


def need_proposal_get(*, user, pk: int):
    return get_object_or_404(need_proposal_list(user=user), pk=pk)


# --- Webhooks ---------------------------------------------------------------------------------


def webhook_subscription_list(*, token) -> QuerySet:
    """The subscriptions `token` may see and delete: its organisation's, made by a token of the
    same region when it is restricted to one, and only those whose every event it could
    subscribe to itself (it holds each event's scope). One query."""
    if token is None:
        return WebhookSubscription.objects.none()
    subscriptions = WebhookSubscription.objects.filter(partner_id=token.partner_id)
    if token.region_id is not None:
        subscriptions = subscriptions.filter(token__region_id=token.region_id)
    for event in WebhookEvent.values:
        if EVENT_SCOPES[event] not in token.scopes:
            # JSON containment is not portable to SQLite (the demo); the quoted name is exact.
            subscriptions = subscriptions.exclude(events__icontains=f'"{event}"')
    return subscriptions


def webhook_delivery_list(*, token) -> QuerySet:
    """The delivery log of the subscriptions `token` may see."""
    return WebhookDelivery.objects.filter(subscription__in=webhook_subscription_list(token=token))


# The API operation that reads the object of each event: a delivery carries exactly what the
# subscriber's token would read there (docs/decisions/0004). Dotted paths, resolved at the first
# event: partners.api.match_views imports this module.
EVENT_READERS = {
    "need.published": "regions.api.views.NeedViewSet",
    "need.closed": "regions.api.views.NeedViewSet",
    "match.accepted": "partners.api.match_views.MatchViewSet",
    "engagement.completed": "partners.api.match_views.EngagementViewSet",
    "project.status_changed": "projects.api.views.ProjectViewSet",
}


def webhook_event_data(*, event: str, object_id: int, token) -> dict | None:
    """What `GET /api/v1/<object>/<object_id>/` answers `token` now, as parsed JSON; None when
    that call would not answer 200 (token unusable, scope missing, object out of its region,
    not attached to its organisation, expert without consent to partner sharing, …).

    It runs the API's own view (permissions, get_queryset, serializer, renderer) for a request
    authenticated by the token, so the webhook cannot drift from the API."""
    if not token.is_usable:
        return None  # the API answers 401 to a revoked or expired token
    view_class = import_string(EVENT_READERS[event])
    http_request = HttpRequest()
    http_request.method = "GET"
    http_request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    request = Request(http_request, authenticators=[ForcedAuthentication(TokenPrincipal(token), token)])
    view = view_class(request=request, args=(), kwargs={view_class.lookup_field: str(object_id)}, format_kwarg=None)
    view.action = "retrieve"
    view.headers = {}
    # Without Accept-Language the API answers in its default language: so does the webhook.
    with translation.override(API_DEFAULT_LANGUAGE):
        try:
            view.check_permissions(request)
            instance = view.get_object()
        except (Http404, exceptions.APIException):
            return None
        return json.loads(JSONRenderer().render(view.get_serializer(instance).data))


# --- The partner user's home ------------------------------------------------------------------

HOME_LIMIT = 10


@dataclass(frozen=True)
class PartnerHome:
    partner: object  # portal.PartnerOrganisation
    tokens: list[APIToken]
    subscriptions: list[WebhookSubscription]
    deliveries: list[WebhookDelivery]
    proposals: list


def partner_home(*, user) -> PartnerHome | None:
    """What a partner user's home shows of their own organisation, and nothing of another's:
    the organisation, its tokens, webhook subscriptions, their latest deliveries and its need
    proposals with their status. None for anyone else. Five queries whatever the row counts.

    The user manages every token of the organisation (api_token_list), so they see every
    subscription those tokens made; the signing secrets and attempt errors stay out."""
    if not permissions.can(user, "partners.home"):
        return None
    partner_id = user.partner_id
    return PartnerHome(
        partner=user.partner,
        tokens=list(api_token_list(user=user)),
        subscriptions=list(
            WebhookSubscription.objects.filter(partner_id=partner_id).select_related("token").defer("secret")
        ),
        deliveries=list(
            WebhookDelivery.objects.filter(subscription__partner_id=partner_id)
            .select_related("subscription")
            .defer("last_error", "subscription__secret")
            .order_by("-created_at", "-pk")[:HOME_LIMIT]
        ),
        proposals=list(
            NeedProposal.objects.filter(partner_id=partner_id)
            .select_related("region", "need", "need__region")
            .order_by("-created_at", "-pk")[:HOME_LIMIT]
        ),
    )
