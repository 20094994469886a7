"""The official's work queue: what waits for an answer in the regions they act for.

Read on every visit (not cached: it is a to-do list, and one answer must leave it at once),
with a constant number of queries whatever the number of rows (tests/dashboards/
test_work_queue.py counts them). Each block holds at most BLOCK_LIMIT rows, most urgent first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from diaspora.models import ExpertProfile
from matching.enums import MatchStatus
from matching.services import REMIND_DAYS_BEFORE
from portal.extensions import contribution
from portal.permissions import can, region_ids_for
from regions.enums import MeetingStatus, NeedStatus
from regions.models import ConsultationMeeting, Need, Region

BLOCK_LIMIT = 20
# A need whose end date falls within this many days is "about to expire" (regions.services
# expires it the day after): time to extend it, or to close it with an outcome.
EXPIRY_SOON_DAYS = 14


@dataclass(frozen=True)
class WorkQueue:
    regions: list[Region]
    late_invitations: list[Need]  # annotated: waiting (invitations without an answer)
    helpers: list[Need]  # annotated: helpers (experts who said "I can help", not yet invited)
    proposals: list
    expiring: list[Need]
    meetings: list[ConsultationMeeting]
    today: dt.date

    @property
    def is_empty(self) -> bool:
        return not (self.late_invitations or self.helpers or self.proposals or self.expiring or self.meetings)


def _month_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def work_queue_for(*, user, now: dt.datetime | None = None) -> WorkQueue:
    """The queue of an official (the regions they act for); empty for anyone else.

    Seven queries: the user's region ids, the regions, late invitations, helpers, partner
    proposals, expiring needs, this month's meetings."""
    if not can(user, "regions.work_queue"):
        return WorkQueue([], [], [], [], [], [], timezone.localdate())
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    ids = region_ids_for(user)
    regions = list(Region.objects.filter(pk__in=ids).order_by("code"))
    active = Need.objects.filter(region_id__in=ids).select_related("region")
    # The candidate list shows only experts who consent to matching now: count the same ones.
    matchable = ExpertProfile.objects.matchable()
    late_invitations = list(
        active.filter(
            status__in=(NeedStatus.OPEN, NeedStatus.IN_PROGRESS),
            response_deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        )
        .annotate(
            waiting=Count("matches", filter=Q(matches__status=MatchStatus.INVITED, matches__profile__in=matchable))
        )
        .filter(waiting__gt=0)
        .order_by("response_deadline", "pk")[:BLOCK_LIMIT]
    )
    helpers = list(
        active.filter(status=NeedStatus.OPEN)
        .annotate(
            helpers=Count(
                "matches",
                filter=Q(
                    matches__interested=True,
                    matches__status__in=(MatchStatus.SUGGESTED, MatchStatus.SHORTLISTED),
                    matches__profile__in=matchable,
                ),
            )
        )
        .filter(helpers__gt=0)
        .order_by("-helpers", "response_deadline", "pk")[:BLOCK_LIMIT]
    )
    # Partners sit beside dashboards in the layers: they contribute their proposals by name.
    waiting = contribution("partners.need_proposals", user=user)
    proposals = list(waiting[:BLOCK_LIMIT]) if waiting is not None else []
    expiring = list(
        active.filter(
            status=NeedStatus.OPEN, end_date__gte=today, end_date__lte=today + dt.timedelta(days=EXPIRY_SOON_DAYS)
        ).order_by("end_date", "pk")[:BLOCK_LIMIT]
    )
    month_start, month_end = _month_bounds(now)
    meetings = list(
        ConsultationMeeting.objects.filter(region_id__in=ids, starts_at__gte=month_start, starts_at__lt=month_end)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("region")
        .order_by("starts_at", "pk")[:BLOCK_LIMIT]
    )
    return WorkQueue(regions, late_invitations, helpers, proposals, expiring, meetings, today)
