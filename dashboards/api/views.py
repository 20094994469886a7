from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.viewsets import GenericViewSet

from dashboards.models import OpenDataSnapshot
from portal.api.renderers import JSONRenderer
from portal.api.scopes import Scope

from .renderers import OpenDataCSVRenderer
from .serializers import OpenDataSnapshotSerializer


@extend_schema(tags=["open data"])
class OpenDataSnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Aggregate open-data tables (small counts hidden, counts rounded to 5), refreshed by a
    scheduled job. Public. `GET /api/v1/open-data/<table>/?format=csv` returns one table as CSV."""

    queryset = OpenDataSnapshot.objects.all()
    serializer_class = OpenDataSnapshotSerializer
    renderer_classes = [JSONRenderer, OpenDataCSVRenderer]
    lookup_field = "table"
    lookup_value_regex = r"[-a-z]+"
    ordering_fields = ["table"]
    ordering = ["table"]
    filterset_class = None
    filter_backends = []
    pagination_class = None
    required_scopes = Scope.READ_PUBLIC
