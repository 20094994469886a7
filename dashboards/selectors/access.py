"""Who may open which dashboard (through portal.permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.permissions import can, regions_for
from regions.models import Region


def dashboard_region_get(*, user, code: str) -> Region:
    """The region whose dashboard `user` may open: 404 for an unknown code, 403 unless the user
    is a coordinator or an official of that region (members, partners, other regions)."""
    if not can(user, "regions.manage_any"):
        raise PermissionDenied
    try:
        region = Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise Http404 from None
    if not can(user, "regions.manage", region):
        raise PermissionDenied
    return region


def national_view_allowed(*, user) -> bool:
    return can(user, "dashboards.national")


def dashboard_regions_for(*, user) -> list[Region]:
    """The regions whose dashboards `user` may open (for the index page)."""
    return list(regions_for(user).order_by("code")) if can(user, "regions.manage_any") else []
