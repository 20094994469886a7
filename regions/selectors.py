from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from .enums import ProvinceKind
from .models import Province, Region


def region_list() -> list[Region]:
    """The 12 regions, with their counts of provinces/prefectures and communes (one query)."""
    return list(
        Region.objects.annotate(
            province_count=Count(
                "provinces",
                filter=~Q(provinces__kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS),
                distinct=True,
            ),
            commune_count=Count("communes", distinct=True),
        ).order_by("code")
    )


def region_get(*, code: str) -> Region:
    """One region with its provinces (404 for an unknown code)."""
    provinces = Province.objects.annotate(commune_count=Count("communes")).order_by("code")
    return get_object_or_404(Region.objects.prefetch_related(Prefetch("provinces", queryset=provinces)), code=code)
