from django.shortcuts import render

from .selectors import region_get, region_list


def region_list_view(request):
    return render(request, "regions/region_list.html", {"regions": region_list()})


def region_detail_view(request, code: str):
    region = region_get(code=code)
    return render(request, "regions/region_detail.html", {"region": region, "provinces": region.provinces.all()})
