from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from diaspora.access_log import profile_reads_record
from diaspora.enums import ReadCategory, ReadPurpose
from diaspora.models import ExpertProfile
from matching.filtersets import EngagementFilterSet, MatchFilterSet
from matching.models import Match
from portal import permissions as roles
from portal.api.pagination import CursorPagination
from portal.api.permissions import request_token
from portal.api.scopes import Scope
from regions.enums import PUBLIC_NEED_STATUSES

from .. import services
from ..selectors import engagements_run_by
from .match_serializers import (
    EngagementOutcomeSerializer,
    EngagementOutcomeWriteSerializer,
    EngagementSerializer,
    MatchSerializer,
)


def match_queryset_for(request):
    """Matches the caller may read: an official those of their regions' needs, a coordinator
    all, a member their own; a partner token those of the needs it runs (from its proposals),
    for experts who consent to partner sharing. Experts who withdrew consent to matching are
    hidden at once."""
    matches = Match.objects.with_current_consent()
    token = request_token(request)
    user = request.user
    if token is not None:
        matches = matches.filter(
            need_id__in=engagements_run_by(partner_id=token.partner_id).values("match__need_id"),
            profile__in=ExpertProfile.objects.for_partners(),
            need__status__in=PUBLIC_NEED_STATUSES,
        )
        return matches if token.region_id is None else matches.filter(need__region_id=token.region_id)
    if roles.is_national(user):
        return matches
    if roles.is_official(user):
        return matches.filter(need__region_id__in=roles.region_ids_for(user))
    if roles.is_member(user):
        return matches.filter(profile__user=user)
    return Match.objects.none()


def _log_partner_reads(request, matches) -> None:
    """A partner token's read of matches is a read of each (pseudonymised) expert, logged for
    the expert with the need (diaspora.access_log); one INSERT a page."""
    if request_token(request) is not None:
        reads = [(m.profile_id, ReadCategory.PSEUDONYMISED, m.need_id) for m in matches]
        profile_reads_record(reader=request.user, reads=reads, purpose=ReadPurpose.PARTNER_API)


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Candidates for needs (scored and explained in the portal), scoped: an official sees
    their regions' needs, a member their own matches, a partner the needs it runs."""

    serializer_class = MatchSerializer
    filterset_class = MatchFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id"]
    ordering = ["id"]
    required_scopes = Scope.READ_EXPERTS
    session_rules = {
        Scope.READ_EXPERTS: lambda user: roles.is_official(user) or roles.is_national(user) or roles.is_member(user)
    }

    def get_queryset(self):
        return match_queryset_for(self.request)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _log_partner_reads(self.request, page or [])
        return page

    def get_object(self):
        match = super().get_object()
        _log_partner_reads(self.request, [match])
        return match


class EngagementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Engagements your organisation runs (those of needs it proposed), and their outcomes."""

    serializer_class = EngagementSerializer
    filterset_class = EngagementFilterSet
    ordering_fields = ["id", "started_at"]
    ordering = ["-id"]
    required_scopes = Scope.WRITE_OUTCOMES

    def get_queryset(self):
        token = request_token(self.request)
        # Only experts who agreed to partner sharing: not even their pseudonym otherwise.
        engagements = (
            engagements_run_by(partner_id=token.partner_id if token else None)
            .filter(match__profile__in=ExpertProfile.objects.for_partners())
            .select_related("match")
        )
        return (
            engagements
            if token is None or token.region_id is None
            else engagements.filter(match__need__region_id=token.region_id)
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _log_partner_reads(self.request, [engagement.match for engagement in page or []])
        return page

    def get_object(self):
        engagement = super().get_object()
        if self.action == "retrieve":  # reporting an outcome reads nothing about the expert
            _log_partner_reads(self.request, [engagement.match])
        return engagement

    @extend_schema(request=EngagementOutcomeWriteSerializer, responses={201: EngagementOutcomeSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, *args, **kwargs):
        """Report the outcome of an engagement your organisation runs; the need's owner is told."""
        engagement = self.get_object()
        payload = EngagementOutcomeWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            outcome = services.engagement_outcome_record(
                token=request_token(request), engagement=engagement, **payload.validated_data
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(EngagementOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)
