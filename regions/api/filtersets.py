"""API filters of the territories. NetBox's convention: `<fk>` takes the related object's
public code (HCP code), `<fk>_id` its numeric id; both repeatable (?region=05&region=02)."""

import django_filters as filters
from django.db.models import Q

from regions.enums import CommuneKind, ProvinceKind
from regions.models import Commune, Province, Region


def _name_search(queryset, name, value):
    value = value.strip()[:100]
    if not value:
        return queryset
    fields = ["name_ar", "name_fr", *(["name_en"] if queryset.model is Region else [])]
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


class RegionFilterSet(filters.FilterSet):
    q = filters.CharFilter(method=_name_search, label="Name contains (Arabic, French or English)")
    code = filters.MultipleChoiceFilter(choices=[(f"{n:02d}", f"{n:02d}") for n in range(1, 13)])
    is_pilot = filters.BooleanFilter()

    class Meta:
        model = Region
        fields = ["q", "code", "is_pilot"]


class ProvinceFilterSet(filters.FilterSet):
    q = filters.CharFilter(method=_name_search, label="Name contains (Arabic or French)")
    code = filters.CharFilter()
    kind = filters.MultipleChoiceFilter(choices=ProvinceKind.choices)
    region = filters.ModelMultipleChoiceFilter(
        field_name="region", to_field_name="code", queryset=Region.objects.all(), label="Region (HCP code)"
    )
    region_id = filters.ModelMultipleChoiceFilter(
        field_name="region", queryset=Region.objects.all(), label="Region (id)"
    )

    class Meta:
        model = Province
        fields = ["q", "code", "kind", "region", "region_id"]


class CommuneFilterSet(filters.FilterSet):
    q = filters.CharFilter(method=_name_search, label="Name contains (Arabic or French)")
    code = filters.CharFilter()
    kind = filters.MultipleChoiceFilter(choices=CommuneKind.choices)
    region = filters.ModelMultipleChoiceFilter(
        field_name="region", to_field_name="code", queryset=Region.objects.all(), label="Region (HCP code)"
    )
    region_id = filters.ModelMultipleChoiceFilter(
        field_name="region", queryset=Region.objects.all(), label="Region (id)"
    )
    province = filters.ModelMultipleChoiceFilter(
        field_name="province", to_field_name="code", queryset=Province.objects.all(), label="Province (HCP code)"
    )
    province_id = filters.ModelMultipleChoiceFilter(
        field_name="province", queryset=Province.objects.all(), label="Province (id)"
    )

    class Meta:
        model = Commune
        fields = ["q", "code", "kind", "region", "region_id", "province", "province_id"]
