"""The one definition of each figure's rows (experts counted, needs shown, coverage, the
funnel), read by the regional dashboard and the national view alike, so the two agree."""

from __future__ import annotations

from django.db.models import Count, Q

from diaspora.models import ExpertProfile
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Match
from projects.models import Project
from regions.enums import NeedStatus
from regions.models import ConsultationMeeting, Need

from .cache import conf
from .filters import Filters

# Candidates whose matches are out of the workflow do not cover a need.
INACTIVE_MATCH_STATUSES = (MatchStatus.DECLINED, MatchStatus.WITHDRAWN)


def coverage_min_score() -> float:
    """The score above which a consenting candidate counts towards a need's coverage."""
    return float(conf("coverage_min_score", 0.5))


COVERAGE_MIN_CANDIDATES = 3


def experts_qs(region_id: int | None, filters: Filters):
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


def needs_qs(region_id: int | None, filters: Filters):
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


def grouped_counts(queryset, field: str, *, distinct: str = "pk") -> list[tuple]:
    rows = queryset.values(field).annotate(n=Count(distinct, distinct=True)).order_by("-n", field)
    return [(row[field], row["n"]) for row in rows]


def open_needs_with_candidates(needs):
    """Open needs annotated with their consenting candidates above the score threshold
    (`candidates`) and at all (`any_candidates`): the one definition of coverage, read by the
    regional dashboard (per need) and the national view (per region)."""
    good = Q(matches__score__gte=coverage_min_score())
    consenting = Q(matches__profile__consent_matching=True) & ~Q(matches__status__in=INACTIVE_MATCH_STATUSES)
    return needs.filter(status=NeedStatus.OPEN).annotate(
        candidates=Count("matches", filter=consenting & good, distinct=True),
        any_candidates=Count("matches", filter=consenting, distinct=True),
    )


def is_covered(candidates: int) -> bool:
    return candidates >= COVERAGE_MIN_CANDIDATES


def coverage_ratio(covered: int, open_count: int) -> float | None:
    return (covered / open_count) if open_count else None


def matches_qs(region_id: int | None, filters: Filters):
    return Match.objects.filter(need__in=needs_qs(region_id, filters).values("pk"))


def funnel_counts() -> dict:
    return {
        "suggested": Count("pk"),
        "invited": Count("pk", filter=Q(invited_at__isnull=False)),
        "accepted": Count("pk", filter=Q(status=MatchStatus.ACCEPTED)),
        "completed": Count("pk", filter=Q(engagement__status=EngagementStatus.COMPLETED)),
    }


def projects_qs(region_id: int | None, filters: Filters):
    projects = Project.objects.all() if region_id is None else Project.objects.filter(region_id=region_id)
    since = filters.since()
    if since:
        projects = projects.filter(created_at__gte=since)
    if filters.sector_id:
        projects = projects.filter(sector_id=filters.sector_id)
    if filters.province_id:
        projects = projects.filter(province_id=filters.province_id)
    return projects


def meetings_qs(region_id: int | None, filters: Filters):
    meetings = ConsultationMeeting.objects.all()
    if region_id is not None:
        meetings = meetings.filter(region_id=region_id)
    since = filters.since()
    return meetings.filter(starts_at__gte=since) if since else meetings
