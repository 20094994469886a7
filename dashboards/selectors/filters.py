"""The filters of a regional dashboard and their choices."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from regions.models import Province, Region, RoadmapAxis
from taxonomy.models import Sector

from ..enums import Period
from .cache import cached


@dataclass(frozen=True)
class Filters:
    period: str = Period.ALL
    axis_id: int | None = None
    sector_id: int | None = None
    province_id: int | None = None

    def since(self, today: dt.date | None = None) -> dt.datetime | None:
        today = today or timezone.localdate()
        if self.period == Period.LAST_12:
            start = today - dt.timedelta(days=365)
        elif self.period == Period.LAST_24:
            start = today - dt.timedelta(days=730)
        elif self.period == Period.THIS_YEAR:
            start = today.replace(month=1, day=1)
        else:
            return None
        return timezone.make_aware(dt.datetime.combine(start, dt.time.min))

    @property
    def key(self) -> str:
        raw = f"{self.period}|{self.axis_id}|{self.sector_id}|{self.province_id}"
        return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:12]


def filter_options(*, region: Region) -> dict:
    """The choices of the filter form for `region` (cached: three small queries on a miss)."""

    def compute():
        axes = RoadmapAxis.objects.filter(roadmap__region=region).order_by("roadmap__version", "position", "pk")
        return {
            "axes": [(a.pk, a.title) for a in axes],
            "sectors": list(Sector.objects.order_by("code").values_list("pk", "code")),
            "provinces": [
                (pk, code, {"ar": name_ar, "fr": name_fr})
                for pk, code, name_ar, name_fr in Province.objects.filter(region=region)
                .order_by("code")
                .values_list("pk", "code", "name_ar", "name_fr")
            ],
        }

    return cached(f"options:{region.pk}", compute)
