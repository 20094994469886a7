from django.db.models import Prefetch
from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from portal.api.pagination import CursorPagination
from portal.api.permissions import restrict_to_token_region, token_region_id
from portal.api.scopes import Scope
from regions.filtersets import (
    CommuneFilterSet,
    MeetingFilterSet,
    NeedFilterSet,
    PartnershipFilterSet,
    ProvinceFilterSet,
    RegionFilterSet,
    RoadmapFilterSet,
    StakeholderFilterSet,
    StudyFilterSet,
)
from regions.models import (
    Commune,
    ConsultationMeeting,
    Decision,
    Need,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
    Study,
)
from regions.selectors import need_rows, need_rows_complete

from .serializers import (
    CommuneSerializer,
    MeetingSerializer,
    NeedSerializer,
    PartnershipSerializer,
    ProvinceSerializer,
    RegionSerializer,
    RoadmapSerializer,
    StakeholderSerializer,
    StudySerializer,
)


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Morocco's 12 regions (HCP, RGPH 2024). Looked up by HCP code (`05`)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name_fr", "population_2024"]
    ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}"
    required_scopes = Scope.READ_PUBLIC


class ProvinceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Provinces and prefectures (83 units with Casablanca's prefectures of arrondissements),
    looked up by HCP code (`05.081`)."""

    queryset = Province.objects.select_related("region")
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet
    ordering_fields = ["code", "name_fr", "population_2024"]
    ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = r"[0-9][0-9.]{0,15}"
    required_scopes = Scope.READ_PUBLIC


class CommuneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The 1,503 communes, looked up by HCP code; cursor-paginated (`next`/`previous` links)."""

    queryset = Commune.objects.select_related("region", "province")
    serializer_class = CommuneSerializer
    filterset_class = CommuneFilterSet
    pagination_class = CursorPagination
    # Cursor pagination needs non-null ordering columns.
    ordering_fields = ["code", "name_fr"]
    ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = r"[0-9][0-9.]{0,15}"
    required_scopes = Scope.READ_PUBLIC


# --- Roadmaps, needs, consultation, civil society, research -------------------------------


class RoadmapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Regional roadmaps (adopted and closed versions; drafts only for the region's officials)."""

    serializer_class = RoadmapSerializer
    filterset_class = RoadmapFilterSet
    ordering_fields = ["id", "version", "period_start"]
    ordering = ["id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        roadmaps = Roadmap.objects.visible_to(self.request.user).select_related("region")
        roadmaps = roadmaps.prefetch_related(Prefetch("axes", queryset=RoadmapAxis.objects.order_by("position", "pk")))
        return restrict_to_token_region(roadmaps, self.request)


class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Needs of the regional roadmaps: open, in progress and fulfilled ones for everyone; drafts
    only for the region's officials."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilterSet
    ordering_fields = ["id", "published_at", "response_deadline", "start_date"]
    ordering = ["-id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        # Rows, not instances (regions.selectors.need_rows): completed page by page below.
        return restrict_to_token_region(need_rows(user=self.request.user), self.request)

    def paginate_queryset(self, queryset):
        return need_rows_complete(super().paginate_queryset(queryset))

    def get_object(self):
        return need_rows_complete([super().get_object()])[0]


class StakeholderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Institutions, associations, universities and companies active in the regions."""

    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    ordering_fields = ["id", "name"]
    ordering = ["id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        return restrict_to_token_region(Stakeholder.objects.active().select_related("region"), self.request)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Consultation meetings, their public part: agenda, stakeholders and decisions (no
    participants, minutes or meeting link)."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering_fields = ["id", "starts_at"]
    ordering = ["-starts_at", "-id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        meetings = ConsultationMeeting.objects.select_related("region").prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("name")),
            Prefetch("decisions", queryset=Decision.objects.order_by("pk")),
        )
        return restrict_to_token_region(meetings, self.request)


class PartnershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Partnerships between the regions and civil society."""

    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet
    ordering_fields = ["id", "start_date"]
    ordering = ["-start_date", "-id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        partnerships = Partnership.objects.select_related("region").prefetch_related(
            Prefetch("partners", queryset=Stakeholder.objects.order_by("name")),
            Prefetch("axes", queryset=RoadmapAxis.objects.order_by("pk")),
            Prefetch("needs", queryset=Need.objects.order_by("pk").only("pk")),
        )
        return restrict_to_token_region(partnerships, self.request)


class StudyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Studies and research (university cooperation), with the regions they cover."""

    serializer_class = StudySerializer
    filterset_class = StudyFilterSet
    ordering_fields = ["id", "year"]
    ordering = ["-year", "id"]
    required_scopes = Scope.READ_PUBLIC

    def get_queryset(self):
        studies = Study.objects.prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("code")))
        region_id = token_region_id(self.request)
        return studies if region_id is None else studies.filter(regions=region_id).distinct()
