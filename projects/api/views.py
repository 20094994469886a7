from django.db.models import Prefetch
from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from portal import permissions as roles
from portal.api.permissions import restrict_to_token_region
from portal.api.scopes import Scope
from projects.filtersets import OpportunityFilterSet, PartnerProjectFilterSet
from projects.models import Opportunity, Project, SupportProgramme

from .serializers import OpportunitySerializer, ProjectSerializer


class OpportunityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Investment opportunities posted by the regions (published and closed ones)."""

    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet
    ordering_fields = ["id", "published_at", "investment_min_mad"]
    ordering = ["-id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        opportunities = (
            Opportunity.objects.visible_to(self.request.user)
            .select_related("region", "province", "commune", "sector")
            .prefetch_related(Prefetch("programmes", queryset=SupportProgramme.objects.only("pk")))
        )
        return restrict_to_token_region(opportunities, self.request)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Diaspora investment projects: a partner sees those its investors attached it to (with
    their consent); an official their regions'; an investor their own."""

    serializer_class = ProjectSerializer
    filterset_class = PartnerProjectFilterSet
    ordering_fields = ["id", "created_at", "status_changed_at"]
    ordering = ["-id"]
    required_scopes = Scope.READ_EXPERTS
    session_rules = {
        Scope.READ_EXPERTS: lambda user: roles.is_official(user) or roles.is_national(user) or roles.is_member(user)
    }

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user).select_related("region", "province", "sector")
        # visible_to joins the partner links: one row per project all the same.
        return restrict_to_token_region(projects.distinct(), self.request)
