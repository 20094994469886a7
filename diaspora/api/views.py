from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from diaspora.access_log import profile_reads_record
from diaspora.enums import ReadCategory, ReadPurpose
from diaspora.filtersets import PartnerExpertFilterSet
from diaspora.selectors import partner_expert_rows, partner_expert_rows_complete
from portal.api.pagination import CursorPagination
from portal.api.pseudonyms import pseudonyms_for_request
from portal.api.scopes import Scope

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
    filterset_class = PartnerExpertFilterSet
    pagination_class = ExpertCursorPagination
    ordering_fields: list[str] = []  # the cursor's ordering only
    lookup_value_regex = r"[0-9a-f]{16}"
    required_scopes = Scope.READ_EXPERTS

    def get_queryset(self):
        # Rows, not instances (diaspora.selectors.partner_expert_rows): completed page by page.
        return partner_expert_rows()

    def paginate_queryset(self, queryset):
        return self._logged(partner_expert_rows_complete(super().paginate_queryset(queryset)))

    def get_object(self):
        # Only the caller's own id space: another organisation's id for the same expert is a 404.
        pk = pseudonyms_for_request(self.request).pk(self.kwargs["pk"])
        if pk is None:
            raise Http404
        self.kwargs["pk"] = pk
        return self._logged(partner_expert_rows_complete([super().get_object()]))[0]

    def _logged(self, rows: list[dict]) -> list[dict]:
        # Pseudonymised, still this expert's data: the expert sees which partner read it.
        reads = [(row["id"], ReadCategory.PSEUDONYMISED) for row in rows]
        profile_reads_record(reader=self.request.user, reads=reads, purpose=ReadPurpose.PARTNER_API)
        return rows
