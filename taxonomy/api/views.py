from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from portal.api.pagination import CursorPagination
from portal.api.scopes import Scope
from taxonomy.filtersets import SectorFilterSet, SkillFilterSet
from taxonomy.models import Sector, Skill

from .serializers import SectorSerializer, SkillSerializer


class SkillCursorPagination(CursorPagination):
    """With `?q=`, pages follow the search's ranking; otherwise the requested ordering."""

    def get_ordering(self, request, queryset, view):
        if "search_rank" in queryset.query.annotations:
            return ("search_rank", "pk")
        return super().get_ordering(request, queryset, view)


class SectorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """ISIC Rev.4 / NACE Rev.2 sections (A–U), looked up by letter."""

    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    filterset_class = SectorFilterSet
    ordering_fields = ["code", "name_fr"]
    ordering = ["code"]
    lookup_field = "code"
    lookup_value_regex = r"[A-Z]"
    required_scopes = Scope.READ_PUBLIC


class SkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """ESCO-compatible skills and knowledge; `q` searches every label in every language."""

    queryset = Skill.objects.select_related("sector")
    serializer_class = SkillSerializer
    filterset_class = SkillFilterSet
    pagination_class = SkillCursorPagination
    ordering_fields = ["id", "uri"]
    ordering = ["id"]
    required_scopes = Scope.READ_PUBLIC
