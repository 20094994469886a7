"""The public pages of a region: the home page, the region list, a region's page, indicators."""

from django.shortcuts import render

from .. import selectors
from ..filtersets import PageNeedFilterSet
from ..selectors import region_get, region_list


def home(request):
    regions = region_list()
    return render(
        request,
        "portal/home.html",
        {"pilot_regions": [region for region in regions if region.is_pilot], "region_count": len(regions)},
    )


def region_list_view(request):
    return render(request, "regions/region_list.html", {"regions": region_list()})


def region_detail_view(request, code: str):
    region = region_get(code=code)
    return render(request, "regions/region_detail.html", {"region": region, "provinces": region.provinces.all()})


def region_page_view(request, code: str):
    """The region's public page for the diaspora: adopted roadmap, open needs, stakeholders,
    consultations and decisions, partnerships, studies, indicators."""
    region = selectors.region_by_code(code=code)
    context = {"region": region, **selectors.region_page(user=request.user, region=region)}
    context["filter"] = PageNeedFilterSet(
        None, queryset=selectors.need_list(user=request.user, region=region), region=region
    )
    return render(request, "regions/region_page.html", context)


def indicator_list_view(request):
    regions = [r for r in region_list() if r.is_pilot]
    return render(
        request,
        "regions/indicator_list.html",
        {
            "national": selectors.indicator_list(),
            "regional": [(region, selectors.indicator_overview(region=region)) for region in regions],
        },
    )
