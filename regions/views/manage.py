"""The officials' management pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.permissions import regions_for

from .. import selectors
from .base import scoped_region


@login_required
def manage_view(request, code: str):
    region = scoped_region(request, code)
    return render(
        request,
        "regions/manage.html",
        {
            "region": region,
            "roadmaps": selectors.roadmap_list(user=request.user, region=region),
            "needs": selectors.need_manage_list(user=request.user, region=region),
            "stakeholders": selectors.stakeholder_list(region=region),
            "meetings": selectors.meeting_list(region=region),
            "partnerships": selectors.partnership_list(region=region),
        },
    )


@login_required
def manage_home_view(request):
    """Officials land on their region (or choose among theirs)."""
    regions = list(regions_for(request.user).order_by("code"))
    if len(regions) == 1:
        return redirect("regions:manage", code=regions[0].code)
    if not regions:
        raise PermissionDenied(_("You cannot act for this region."))
    return render(request, "regions/manage_home.html", {"regions": regions})
