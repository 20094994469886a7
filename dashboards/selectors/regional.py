"""The regional dashboard: every figure of one region, cached."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from diaspora.models import ExpertFormat, ExpertLanguage, ExpertSkill
from matching.models import NeedSetAside
from projects.enums import OpportunityStatus
from projects.models import Opportunity
from regions.enums import FollowUpStatus, MeetingStatus
from regions.models import Decision, Region
from regions.selectors import indicator_overview

from .cache import cached
from .definitions import (
    coverage_ratio,
    experts_qs,
    funnel_counts,
    grouped_counts,
    is_covered,
    matches_qs,
    meetings_qs,
    needs_qs,
    open_needs_with_candidates,
    projects_qs,
)
from .filters import Filters
from .labels import skill_group_of

TREND_MONTHS = 24
GAP_LIST_LIMIT = 25


def _diaspora(region_id: int, filters: Filters) -> dict:
    experts = experts_qs(region_id, filters)
    ids = experts.values("pk")
    group_of = skill_group_of()
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
        "by_sector": grouped_counts(experts, "sectors"),
        "by_group": by_group,
        "by_country": grouped_counts(experts, "country_of_residence"),
        "by_language": grouped_counts(ExpertLanguage.objects.filter(profile__in=ids), "language", distinct="profile"),
        "by_format": grouped_counts(ExpertFormat.objects.filter(profile__in=ids), "format", distinct="profile"),
        "trend": [(m, trend.get(m, 0)) for m in months],
    }


def _roadmap(region_id: int, filters: Filters) -> dict:
    needs = needs_qs(region_id, filters)
    by_axis_status: dict[tuple, dict[str, int]] = {}
    for row in needs.values("axis_id", "axis__title", "status").annotate(n=Count("pk")).order_by("axis_id"):
        by_axis_status.setdefault((row["axis_id"], row["axis__title"]), {})[row["status"]] = row["n"]
    open_needs = list(
        open_needs_with_candidates(needs)
        .values("pk", "title", "axis__title", "published_at", "response_deadline", "candidates", "any_candidates")
        .order_by("published_at", "pk")
    )
    covered = sum(1 for n in open_needs if is_covered(n["candidates"]))
    gaps = [n for n in open_needs if n["any_candidates"] == 0]
    return {
        "by_axis_status": [(axis_id, title, counts) for (axis_id, title), counts in by_axis_status.items()],
        "open": len(open_needs),
        "covered": covered,
        "coverage": coverage_ratio(covered, len(open_needs)),
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


def _funnel(region_id: int, filters: Filters) -> dict:
    counts = matches_qs(region_id, filters).aggregate(
        **funnel_counts(),
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
        needs_qs(region_id, filters)
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


def _investment(region_id: int, filters: Filters) -> dict:
    projects = projects_qs(region_id, filters)
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


def _consultation(region_id: int, filters: Filters) -> dict:
    meetings = meetings_qs(region_id, filters)
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
        "meetings": grouped_counts(meetings, "status"),
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

    return cached(f"region:{region.pk}:{filters.key}", compute)


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
