"""Open data: the published snapshots, and the raw counts they are made from."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from diaspora.models import ExpertProfile
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Match
from projects.models import Project
from regions.enums import NeedStatus
from regions.models import Need, Region

from ..models import OpenDataSnapshot


def open_data_list() -> list[OpenDataSnapshot]:
    return list(OpenDataSnapshot.objects.order_by("table"))


def open_data_get(*, table: str) -> OpenDataSnapshot:
    try:
        return OpenDataSnapshot.objects.get(table=table)
    except OpenDataSnapshot.DoesNotExist:
        raise Http404 from None


# Raw counts for the open-data tables, before protection (dashboards/services.py protects them).


def open_data_raw_experts_region_sector() -> list[tuple]:
    return list(
        ExpertProfile.objects.counted_in_statistics()
        .filter(is_active=True, origin_region__isnull=False)
        .values_list("origin_region__code", "sectors__code")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def open_data_raw_experts_country_region() -> list[tuple]:
    return list(
        ExpertProfile.objects.counted_in_statistics()
        .filter(is_active=True, origin_region__isnull=False)
        .values_list("country_of_residence", "origin_region__code")
        .annotate(n=Count("pk"))
        .order_by()
    )


def open_data_raw_needs() -> list[tuple]:
    return list(
        Need.objects.exclude(status=NeedStatus.DRAFT)
        .values_list("region__code", "axis__kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def open_data_raw_funnel() -> list[tuple]:
    counted = Match.objects.filter(profile__consent_statistics=True)
    rows = counted.values_list("need__region__code").annotate(
        suggested=Count("pk"),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        accepted=Count("pk", filter=Q(status=MatchStatus.ACCEPTED)),
        completed=Count("pk", filter=Q(engagement__status=EngagementStatus.COMPLETED)),
    )
    return list(rows.order_by())


def open_data_raw_investment() -> list[tuple]:
    """Projects by region and pipeline stage; an investor who withdrew the statistics consent
    on their expert profile is not counted."""
    projects = Project.objects.exclude(investor__expert_profile__consent_statistics=False)
    return list(projects.values_list("region__code", "status").annotate(n=Count("pk")).order_by())


def region_codes() -> list[str]:
    return list(Region.objects.order_by("code").values_list("code", flat=True))
