from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from partners.enums import Scope
from portal.api.pagination import CursorPagination
from regions.models import Commune, Province, Region

from .filtersets import CommuneFilterSet, ProvinceFilterSet, RegionFilterSet
from .serializers import CommuneSerializer, ProvinceSerializer, RegionSerializer


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
