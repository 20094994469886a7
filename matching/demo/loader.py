"""Demo (workflow.yaml): rank every open need once, then walk a few candidates through the
contact workflow, with this app's services (the officials' and experts' own calls), so that
officials, the demo member and the dashboards' funnel have something to show; and match the
investors' projects to the regions' opportunities (the projects app seeds first)."""

from pathlib import Path

from diaspora.models import ExpertProfile
from portal.demo.files import LANGUAGES, TEXT, load

from ..enums import EngagementStatus, MatchStatus
from ..models import Match
from ..services import (
    engagement_update,
    full_rematch,
    investment_rematch,
    match_invite,
    match_respond,
    match_shortlist,
)

DEMO_MEMBER = "member@demo.jusur.ma"
DATA = Path(__file__).resolve().parent
SCHEMA = {
    "candidates": int,
    "per_need": int,
    "invitation": TEXT,
    "completion": {"note": TEXT, "rating": int},
}
FILES = {"workflow.yaml": SCHEMA}


def _in(text: dict, user) -> str:
    return text[user.preferred_language if user.preferred_language in LANGUAGES else "fr"]


def seed(context: dict) -> list[str]:
    data = load(DATA / "workflow.yaml", SCHEMA)
    investment = investment_rematch()  # idempotent: the same data gives the same rows
    investment_line = (
        f"  investors and opportunities: {investment.matches_count} suggestions"
        f" ({investment.experts_count} projects, {investment.needs_count} opportunities)"
    )
    if Match.objects.exclude(status=MatchStatus.SUGGESTED).exists():
        return ["  contact workflow already seeded", investment_line]
    run = full_rematch()
    contactable = set(ExpertProfile.objects.contactable().values_list("pk", flat=True))
    invited = accepted = completed = 0
    candidates = (
        Match.objects.filter(profile_id__in=contactable, rank__lte=data["per_need"])
        .exclude(profile__user__email=DEMO_MEMBER)  # her invitation is staged below
        .select_related("need__owner", "profile__user")
        .order_by("need_id", "rank")
    )
    for index, match in enumerate(candidates[: data["candidates"]]):
        owner, expert = match.need.owner, match.profile.user
        match_shortlist(match=match, by=owner)
        if index % 3 == 2:
            continue  # left on the shortlist
        match_invite(match=match, by=owner, message=_in(data["invitation"], expert))
        invited += 1
        if index % 3 == 1:
            continue  # still waiting for an answer
        match_respond(match=match, by=expert, accept=True)
        accepted += 1
        if index % 2 == 0:
            engagement_update(
                engagement=match.engagement,
                by=owner,
                status=EngagementStatus.COMPLETED,
                note=_in(data["completion"]["note"], owner),
                rating=data["completion"]["rating"],
            )
            completed += 1
    # The demo member sees an invitation waiting in their inbox.
    member_match = (
        Match.objects.filter(profile__user__email=DEMO_MEMBER, status=MatchStatus.SUGGESTED).order_by("rank").first()
    )
    if member_match and member_match.profile_id in contactable:
        match_invite(match=member_match, by=member_match.need.owner)
        invited += 1
    return [
        f"  full re-match: {run.matches_count} suggestions for {run.needs_count} needs in {run.duration_ms} ms",
        f"  contact workflow: {invited} invited, {accepted} accepted, {completed} completed",
        investment_line,
    ]
