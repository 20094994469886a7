"""The national view: the 12 regions side by side, by the regional dashboard's definitions."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils import timezone

from regions.enums import MeetingStatus
from regions.models import Region

from ..models import RegionShape
from .cache import LABELS_TTL, cached
from .definitions import (
    coverage_ratio,
    experts_qs,
    funnel_counts,
    is_covered,
    matches_qs,
    meetings_qs,
    needs_qs,
    open_needs_with_candidates,
    projects_qs,
)
from .filters import Filters


def national_overview() -> dict:
    """The 12 regions side by side, cached. Every figure is the regional dashboard's own
    definition (the same querysets, unfiltered) grouped by region, so the two views agree."""

    def compute():
        everything = Filters()
        experts = dict(
            experts_qs(None, everything)
            .filter(origin_region__isnull=False)
            .values("origin_region_id")
            .annotate(n=Count("pk"))
            .values_list("origin_region_id", "n")
        )
        # One row per open need (grouped by need, as on a regional dashboard), counted per
        # region here: grouping the annotated needs by region instead would count a region's
        # candidates together and call every need covered.
        open_needs: dict[int, list[int]] = {}
        for region_id, candidates in open_needs_with_candidates(needs_qs(None, everything)).values_list(
            "region_id", "candidates"
        ):
            entry = open_needs.setdefault(region_id, [0, 0])
            entry[0] += 1
            entry[1] += is_covered(candidates)
        funnel = {
            row["need__region_id"]: row
            for row in matches_qs(None, everything).values("need__region_id").annotate(**funnel_counts()).order_by()
        }
        projects = {
            row["region_id"]: row
            for row in projects_qs(None, everything)
            .values("region_id")
            .annotate(n=Count("pk"), amount=Sum("amount_mad"))
        }
        meetings = dict(
            meetings_qs(None, everything)
            .filter(status=MeetingStatus.HELD)
            .values("region_id")
            .annotate(n=Count("pk"))
            .values_list("region_id", "n")
        )
        rows = []
        for region in Region.objects.order_by("code").values("pk", "code", "name_ar", "name_fr", "name_en", "is_pilot"):
            pk = region["pk"]
            n_open, covered = open_needs.get(pk, (0, 0))
            rows.append(
                {
                    **region,
                    "experts": experts.get(pk, 0),
                    "open_needs": n_open,
                    "covered": covered,
                    "coverage": coverage_ratio(covered, n_open),
                    "invited": funnel.get(pk, {}).get("invited", 0),
                    "accepted": funnel.get(pk, {}).get("accepted", 0),
                    "completed": funnel.get(pk, {}).get("completed", 0),
                    "projects": projects.get(pk, {}).get("n", 0),
                    "amount": projects.get(pk, {}).get("amount") or 0,
                    "meetings_held": meetings.get(pk, 0),
                }
            )
        return {"regions": rows, "computed_at": timezone.now()}

    return cached("national", compute)


def region_shapes() -> list[dict]:
    """The map's paths, one per region (empty until `load_region_shapes` ran)."""
    return cached(
        "shapes",
        lambda: list(RegionShape.objects.values("region_id", "region__code", "path", "view_box", "label_x", "label_y")),
        ttl=LABELS_TTL,
    )
