"""Reads of the dashboards: aggregates over the other apps' tables, cached.

Every aggregate is a grouped COUNT/SUM in the database (a fixed number of queries whatever
the size), computed on a cache miss only and stored in the Django cache (Redis) under a
version number that any change to the underlying rows bumps (dashboards/signals.py), with a
short TTL as a safety net for bulk writes that send no signal, and warmed by the
`dashboards.cache_refresh` beat task. Results hold codes and ids, not labels, so one cached
entry serves every language; labels are attached at render time (dashboards/charts.py).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from diaspora.models import ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Match, NeedSetAside
from portal.permissions import can, regions_for
from projects.enums import OpportunityStatus
from projects.models import Opportunity, Project
from regions.enums import FollowUpStatus, MeetingStatus, NeedStatus
from regions.models import ConsultationMeeting, Decision, Need, Province, Region, RoadmapAxis
from regions.selectors import indicator_overview
from taxonomy.enums import ConceptType
from taxonomy.models import Sector, Skill, SkillRelation

from .enums import Period
from .models import OpenDataSnapshot, RegionShape

VERSION_KEY = "dashboards:version"
# Short: a bulk write (the matching engine's bulk_create) sends no signal; the beat task
# `dashboards.cache_refresh` recomputes the unfiltered dashboards more often than this.
CACHE_TTL = 600
LABELS_TTL = 24 * 3600
TREND_MONTHS = 24
GAP_LIST_LIMIT = 25
# Candidates whose matches are out of the workflow do not cover a need.
INACTIVE_MATCH_STATUSES = (MatchStatus.DECLINED, MatchStatus.WITHDRAWN)


def _conf(name: str, default):
    return getattr(settings, "JUSUR_DASHBOARDS", {}).get(name, default)


def coverage_min_score() -> float:
    """The score above which a consenting candidate counts towards a need's coverage."""
    return float(_conf("coverage_min_score", 0.5))


COVERAGE_MIN_CANDIDATES = 3


# --- access --------------------------------------------------------------------------------


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


# --- cache ---------------------------------------------------------------------------------


def cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def cache_invalidate() -> None:
    """Make every cached aggregate stale (called on changes and by the refresh task)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


# The refresh task sets 0 here, so that it recomputes whatever the age of the entry.
STALENESS_OVERRIDE: contextvars.ContextVar[float | None] = contextvars.ContextVar("staleness", default=None)


def max_staleness() -> float:
    """Seconds a figure computed before the latest change may still be served: under a steady
    stream of edits a dashboard is recomputed at most this often instead of on every request."""
    override = STALENESS_OVERRIDE.get()
    return override if override is not None else float(_conf("max_staleness", 60))


def _cached(key: str, compute, *, ttl: int = CACHE_TTL):
    """`compute()` through the cache: fresh if computed at the current version, or recent enough."""
    version = cache_version()
    full_key = f"dashboards:{key}"
    entry = cache.get(full_key)
    now = time.time()
    if entry is not None and (entry[0] == version or now - entry[1] < max_staleness()):
        return entry[2]
    value = compute()
    cache.set(full_key, (version, now, value), ttl)
    return value


# --- filters -------------------------------------------------------------------------------


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

    return _cached(f"options:{region.pk}", compute)


# --- labels --------------------------------------------------------------------------------


def _skill_group_of() -> dict[int, int]:
    """Each skill's top skill group (the ESCO hierarchy's root group), cached for a day."""

    def compute():
        parents: dict[int, int] = {}
        for narrower, broader in SkillRelation.objects.order_by("narrower_id", "broader_id").values_list(
            "narrower_id", "broader_id"
        ):
            parents.setdefault(narrower, broader)  # several parents: the first, deterministically
        groups = set(Skill.objects.filter(concept_type=ConceptType.GROUP).values_list("pk", flat=True))
        top: dict[int, int] = {}
        for skill in parents:
            node, seen = skill, set()
            while node in parents and node not in seen:
                seen.add(node)
                node = parents[node]
            if node in groups and node != skill:
                top[skill] = node
        return top

    return cache.get_or_set("dashboards:skill-groups", compute, LABELS_TTL)


LABEL_KEYS = ("dashboards:skill-groups", "dashboards:labels")


def reference_labels(*, sectors=(), groups=()) -> dict:
    """Multilingual labels of sectors and skill groups ({id: {lang: text}}), cached for a day
    (and dropped by the refresh task); recomputed at once if an id asked for is missing, e.g.
    after the taxonomy was reloaded."""

    def compute():
        group_ids = set(_skill_group_of().values())
        return {
            "sectors": {
                s.pk: {"code": s.code, "ar": s.name_ar, "fr": s.name_fr, "en": s.name_en} for s in Sector.objects.all()
            },
            "groups": dict(Skill.objects.filter(pk__in=group_ids).values_list("pk", "labels")),
        }

    labels = cache.get_or_set("dashboards:labels", compute, LABELS_TTL)
    wanted_sectors = {pk for pk in sectors if pk is not None}
    wanted_groups = {pk for pk in groups if pk is not None}
    if not (wanted_sectors <= labels["sectors"].keys() and wanted_groups <= labels["groups"].keys()):
        labels = compute()
        cache.set("dashboards:labels", labels, LABELS_TTL)
    return labels


# --- the regional dashboard ----------------------------------------------------------------


def _experts(region_id: int | None, filters: Filters):
    experts = ExpertProfile.objects.counted_in_statistics().filter(is_active=True)
    if region_id is not None:
        experts = experts.filter(origin_region_id=region_id)
    since = filters.since()
    if since:
        experts = experts.filter(created_at__gte=since)
    if filters.sector_id:
        experts = experts.filter(sectors=filters.sector_id)
    if filters.province_id:
        experts = experts.filter(origin_province_id=filters.province_id)
    return experts


def _needs(region_id: int | None, filters: Filters):
    needs = Need.objects.exclude(status=NeedStatus.DRAFT)
    if region_id is not None:
        needs = needs.filter(region_id=region_id)
    since = filters.since()
    if since:
        needs = needs.filter(created_at__gte=since)
    if filters.axis_id:
        needs = needs.filter(axis_id=filters.axis_id)
    if filters.sector_id:
        needs = needs.filter(sector_id=filters.sector_id)
    if filters.province_id:
        needs = needs.filter(province_id=filters.province_id)
    return needs


def _counts(queryset, field: str, *, distinct: str = "pk") -> list[tuple]:
    rows = queryset.values(field).annotate(n=Count(distinct, distinct=True)).order_by("-n", field)
    return [(row[field], row["n"]) for row in rows]


def _diaspora(region_id: int, filters: Filters) -> dict:
    experts = _experts(region_id, filters)
    ids = experts.values("pk")
    group_of = _skill_group_of()
    per_group: dict[int | None, set[int]] = {}
    # No ORDER BY: the model's default ordering would sort every skill of the region's experts.
    held = ExpertSkill.objects.filter(profile__in=ids).order_by().values_list("profile_id", "skill_id")
    for profile_id, skill_id in held:
        per_group.setdefault(group_of.get(skill_id), set()).add(profile_id)
    by_group = sorted(((g, len(p)) for g, p in per_group.items()), key=lambda r: (-r[1], r[0] is None, r[0] or 0))
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    trend_rows = (
        experts.filter(created_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    trend = {row["month"].strftime("%Y-%m"): row["n"] for row in trend_rows}
    months, cursor = [], start
    while cursor <= today:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return {
        "total": experts.count(),
        "by_sector": _counts(experts, "sectors"),
        "by_group": by_group,
        "by_country": _counts(experts, "country_of_residence"),
        "by_language": _counts(ExpertLanguage.objects.filter(profile__in=ids), "language", distinct="profile"),
        "by_format": _counts(ExpertFormat.objects.filter(profile__in=ids), "format", distinct="profile"),
        "trend": [(m, trend.get(m, 0)) for m in months],
    }


def _open_needs_with_candidates(needs):
    """Open needs annotated with their consenting candidates above the score threshold
    (`candidates`) and at all (`any_candidates`): the one definition of coverage, read by the
    regional dashboard (per need) and the national view (per region)."""
    good = Q(matches__score__gte=coverage_min_score())
    consenting = Q(matches__profile__consent_matching=True) & ~Q(matches__status__in=INACTIVE_MATCH_STATUSES)
    return needs.filter(status=NeedStatus.OPEN).annotate(
        candidates=Count("matches", filter=consenting & good, distinct=True),
        any_candidates=Count("matches", filter=consenting, distinct=True),
    )


def _is_covered(candidates: int) -> bool:
    return candidates >= COVERAGE_MIN_CANDIDATES


def _coverage(covered: int, open_count: int) -> float | None:
    return (covered / open_count) if open_count else None


def _roadmap(region_id: int, filters: Filters) -> dict:
    needs = _needs(region_id, filters)
    by_axis_status: dict[tuple, dict[str, int]] = {}
    for row in needs.values("axis_id", "axis__title", "status").annotate(n=Count("pk")).order_by("axis_id"):
        by_axis_status.setdefault((row["axis_id"], row["axis__title"]), {})[row["status"]] = row["n"]
    open_needs = list(
        _open_needs_with_candidates(needs)
        .values("pk", "title", "axis__title", "published_at", "response_deadline", "candidates", "any_candidates")
        .order_by("published_at", "pk")
    )
    covered = sum(1 for n in open_needs if _is_covered(n["candidates"]))
    gaps = [n for n in open_needs if n["any_candidates"] == 0]
    return {
        "by_axis_status": [(axis_id, title, counts) for (axis_id, title), counts in by_axis_status.items()],
        "open": len(open_needs),
        "covered": covered,
        "coverage": _coverage(covered, len(open_needs)),
        "gap_count": len(gaps),
        "gaps": [
            {
                "pk": n["pk"],
                "title": n["title"],
                "axis": n["axis__title"],
                "published_at": n["published_at"],
                "response_deadline": n["response_deadline"],
            }
            for n in gaps[:GAP_LIST_LIMIT]
        ],
    }


def _matches(region_id: int | None, filters: Filters):
    return Match.objects.filter(need__in=_needs(region_id, filters).values("pk"))


def _funnel_counts() -> dict:
    return {
        "suggested": Count("pk"),
        "invited": Count("pk", filter=Q(invited_at__isnull=False)),
        "accepted": Count("pk", filter=Q(status=MatchStatus.ACCEPTED)),
        "completed": Count("pk", filter=Q(engagement__status=EngagementStatus.COMPLETED)),
    }


def _funnel(region_id: int, filters: Filters) -> dict:
    counts = _matches(region_id, filters).aggregate(
        **_funnel_counts(),
        # The member's side (issue 18): seen on their home, "I can help", "not for me".
        viewed=Count("pk", filter=Q(seen_at__isnull=False)),
        helped=Count("pk", filter=Q(interested=True)),
        set_aside=Count(
            "pk", filter=Exists(NeedSetAside.objects.filter(need=OuterRef("need"), profile=OuterRef("profile")))
        ),
    )
    today = timezone.localdate()
    delays, on_time, with_deadline, overdue = [], 0, 0, 0
    rows = (
        _needs(region_id, filters)
        .filter(published_at__isnull=False)
        .annotate(first_invite=Min("matches__invited_at"))
        .values_list("published_at", "response_deadline", "first_invite")
    )
    for published_at, deadline, first_invite in rows:
        if first_invite is not None:
            delays.append(max((first_invite - published_at).total_seconds() / 86400, 0.0))
            if deadline is not None:
                with_deadline += 1
                on_time += timezone.localtime(first_invite).date() <= deadline
        elif deadline is not None and deadline < today:
            overdue += 1
    return {
        **counts,
        "median_response_days": round(statistics.median(delays), 1) if delays else None,
        "answered": len(delays),
        "on_time": on_time,
        "with_deadline": with_deadline,
        "overdue_unanswered": overdue,
    }


def _projects(region_id: int | None, filters: Filters):
    projects = Project.objects.all() if region_id is None else Project.objects.filter(region_id=region_id)
    since = filters.since()
    if since:
        projects = projects.filter(created_at__gte=since)
    if filters.sector_id:
        projects = projects.filter(sector_id=filters.sector_id)
    if filters.province_id:
        projects = projects.filter(province_id=filters.province_id)
    return projects


def _investment(region_id: int, filters: Filters) -> dict:
    projects = _projects(region_id, filters)
    by_status: dict[str, list[int]] = {}
    by_sector: dict[int, list[int]] = {}
    for row in projects.values("status", "sector_id").annotate(n=Count("pk"), amount=Sum("amount_mad")):
        for bucket, key in ((by_status, row["status"]), (by_sector, row["sector_id"])):
            entry = bucket.setdefault(key, [0, 0])
            entry[0] += row["n"]
            entry[1] += row["amount"] or 0
    opportunities = Opportunity.objects.filter(region_id=region_id, status=OpportunityStatus.PUBLISHED)
    if filters.sector_id:
        opportunities = opportunities.filter(sector_id=filters.sector_id)
    return {
        "by_status": sorted(((k, n, a) for k, (n, a) in by_status.items()), key=lambda r: r[0]),
        "by_sector": sorted(((k, n, a) for k, (n, a) in by_sector.items()), key=lambda r: -r[2]),
        "projects": sum(n for n, _ in by_status.values()),
        "amount": sum(a for _, a in by_status.values()),
        "opportunities_open": opportunities.count(),
    }


def _meetings(region_id: int | None, filters: Filters):
    meetings = ConsultationMeeting.objects.all()
    if region_id is not None:
        meetings = meetings.filter(region_id=region_id)
    since = filters.since()
    return meetings.filter(starts_at__gte=since) if since else meetings


def _consultation(region_id: int, filters: Filters) -> dict:
    meetings = _meetings(region_id, filters)
    decisions = Decision.objects.filter(region_id=region_id)
    since = filters.since()
    if since:
        decisions = decisions.filter(meeting__starts_at__gte=since)
    if filters.axis_id:
        decisions = decisions.filter(axis_id=filters.axis_id)
    today = timezone.localdate()
    decision_rows = decisions.values("follow_up_status").annotate(
        n=Count("pk"),
        late=Count(
            "pk",
            filter=Q(due_date__lt=today) & Q(follow_up_status__in=[FollowUpStatus.PENDING, FollowUpStatus.IN_PROGRESS]),
        ),
    )
    by_follow_up, late = [], 0
    for row in decision_rows.order_by("follow_up_status"):
        by_follow_up.append((row["follow_up_status"], row["n"]))
        late += row["late"]
    return {
        "meetings": _counts(meetings, "status"),
        "held": meetings.filter(status=MeetingStatus.HELD).count(),
        "decisions": by_follow_up,
        "decisions_late": late,
    }


def region_dashboard(*, region: Region, filters: Filters) -> dict:
    """Every figure of `region`'s dashboard: cached; about 20 queries on a miss, none on a hit."""

    def compute():
        return {
            "diaspora": _diaspora(region.pk, filters),
            "roadmap": _roadmap(region.pk, filters),
            "funnel": _funnel(region.pk, filters),
            "investment": _investment(region.pk, filters),
            "consultation": _consultation(region.pk, filters),
            "indicators": [
                {"key": row["key"], "national": _indicator(row["national"]), "regional": _indicator(row["regional"])}
                for row in indicator_overview(region=region)
            ],
            "computed_at": timezone.now(),
        }

    return _cached(f"region:{region.pk}:{filters.key}", compute)


def _indicator(indicator) -> dict | None:
    """An indicator's codes and raw value only: its label, unit, source and status are
    translated at render (dashboards/figures.py), so one cached entry serves every language."""
    if indicator is None:
        return None
    return {
        "key": indicator.key,
        "value": indicator.value,
        "unit": indicator.unit,
        "year": indicator.year,
        "source": indicator.source,
        "status": indicator.status,
        "note": indicator.note,
    }


# --- the national view ---------------------------------------------------------------------


def national_overview() -> dict:
    """The 12 regions side by side, cached. Every figure is the regional dashboard's own
    definition (the same querysets, unfiltered) grouped by region, so the two views agree."""

    def compute():
        everything = Filters()
        experts = dict(
            _experts(None, everything)
            .filter(origin_region__isnull=False)
            .values("origin_region_id")
            .annotate(n=Count("pk"))
            .values_list("origin_region_id", "n")
        )
        # One row per open need (grouped by need, as on a regional dashboard), counted per
        # region here: grouping the annotated needs by region instead would count a region's
        # candidates together and call every need covered.
        open_needs: dict[int, list[int]] = {}
        for region_id, candidates in _open_needs_with_candidates(_needs(None, everything)).values_list(
            "region_id", "candidates"
        ):
            entry = open_needs.setdefault(region_id, [0, 0])
            entry[0] += 1
            entry[1] += _is_covered(candidates)
        funnel = {
            row["need__region_id"]: row
            for row in _matches(None, everything).values("need__region_id").annotate(**_funnel_counts()).order_by()
        }
        projects = {
            row["region_id"]: row
            for row in _projects(None, everything).values("region_id").annotate(n=Count("pk"), amount=Sum("amount_mad"))
        }
        meetings = dict(
            _meetings(None, everything)
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
                    "coverage": _coverage(covered, n_open),
                    "invited": funnel.get(pk, {}).get("invited", 0),
                    "accepted": funnel.get(pk, {}).get("accepted", 0),
                    "completed": funnel.get(pk, {}).get("completed", 0),
                    "projects": projects.get(pk, {}).get("n", 0),
                    "amount": projects.get(pk, {}).get("amount") or 0,
                    "meetings_held": meetings.get(pk, 0),
                }
            )
        return {"regions": rows, "computed_at": timezone.now()}

    return _cached("national", compute)


def region_shapes() -> list[dict]:
    """The map's paths, one per region (empty until `load_region_shapes` ran)."""
    return _cached(
        "shapes",
        lambda: list(RegionShape.objects.values("region_id", "region__code", "path", "view_box", "label_x", "label_y")),
        ttl=LABELS_TTL,
    )


# --- open data -----------------------------------------------------------------------------


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
