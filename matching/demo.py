"""Demo: rank every open need once, then walk a few candidates through the contact workflow
so that officials, the demo member and the dashboards' funnel have something to show; and
match the investors' projects to the regions' opportunities (the projects app seeds first)."""

from diaspora.models import ExpertProfile

from .enums import EngagementStatus, MatchStatus
from .models import Match
from .services import engagement_update, full_rematch, investment_rematch, match_invite, match_respond, match_shortlist

DEMO_MEMBER = "member@demo.jusur.ma"


def seed(context: dict) -> list[str]:
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
    # The three best contactable candidates of the first needs of each owner.
    candidates = (
        Match.objects.filter(profile_id__in=contactable, rank__lte=3)
        .select_related("need__owner", "profile__user")
        .order_by("need_id", "rank")
    )
    for index, match in enumerate(candidates[:60]):
        owner = match.need.owner
        match_shortlist(match=match, by=owner)
        if index % 3 == 2:
            continue  # left on the shortlist
        match_invite(match=match, by=owner, message="Votre profil correspond à ce besoin de la région.")
        invited += 1
        if index % 3 == 1:
            continue  # still waiting for an answer
        match_respond(match=match, by=match.profile.user, accept=True)
        accepted += 1
        if index % 2 == 0:
            engagement_update(
                engagement=match.engagement,
                by=owner,
                status=EngagementStatus.COMPLETED,
                note="Mission réalisée.",
                rating=5,
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
