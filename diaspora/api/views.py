from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from diaspora.models import ExpertLanguage, ExpertProfile, ExpertSkill
from partners.enums import Scope
from partners.pseudonyms import expert_pk
from portal.api.pagination import CursorPagination
from regions.models import Region
from taxonomy.models import Sector

from .filtersets import ExpertAPIFilterSet
from .serializers import ExpertSerializer


class ExpertCursorPagination(CursorPagination):
    # Ordered by confirmation time, not by primary key: a cursor must not reveal the key
    # behind the opaque ids.
    ordering = ("-confirmed_at",)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH, description="Opaque expert id")]
    )
)
class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Pseudonymised diaspora experts: only those who consented to sharing with partners
    (and are active); what they can do, never who they are."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertAPIFilterSet
    pagination_class = ExpertCursorPagination
    ordering_fields: list[str] = []  # the cursor's ordering only
    lookup_value_regex = r"[0-9a-f]{16}"
    required_scopes = Scope.READ_EXPERTS

    def get_queryset(self):
        return (
            ExpertProfile.objects.for_partners()
            .only(
                "pk",
                "country_of_residence",
                "origin_region",
                "work_mode",
                "hours_per_month",
                "available_from",
                "available_until",
                "confirmed_at",
            )
            .prefetch_related(
                Prefetch("origin_region", queryset=Region.objects.only("pk", "code")),
                Prefetch("sectors", queryset=Sector.objects.only("pk", "code")),
                Prefetch(
                    "skills",
                    # Not the skill's descriptions (ESCO's, in every language): only its labels.
                    queryset=ExpertSkill.objects.select_related("skill")
                    .only("profile_id", "skill_id", "level", "years", "skill__labels")
                    .order_by("-level", "pk"),
                ),
                Prefetch("languages", queryset=ExpertLanguage.objects.order_by("-level", "language")),
                "formats",
            )
        )

    def get_object(self):
        pk = expert_pk(self.kwargs["pk"])
        if pk is None:
            raise Http404
        self.kwargs["pk"] = pk
        return super().get_object()
