"""Reads for the diaspora member's side of the loop (issue 18): their home, the needs the
stored ranking suggests for them, their impact, and the public list of contributors.

Every read here is the member's own data, or data the member published (the contributors'
list); each function runs a fixed number of queries whatever the number of rows, so that the
home page stays fast at national scale (bench/member_home.py, tests/matching/test_member_home.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaspora.models import (
    Education,
    ExpertFormat,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    WorkExperience,
)
from diaspora.querysets import REMIND_BEFORE, stale_cutoff
from portal.permissions import can_act_in_region, is_member
from regions.enums import NeedStatus
from regions.models import NeedInterest, Region

from .enums import EngagementStatus, MatchStatus, SetAsideReason
from .models import Engagement, Match, NeedSetAside
from .selectors import explain

SUGGESTIONS_PER_PAGE = 10
HOME_INVITATIONS = 10
HOME_SET_ASIDE = 10
IMPACT_PER_PAGE = 20
CONTRIBUTORS_PER_PAGE = 50

# Suggested needs leave "needs for you" once the member is in the contact workflow for them:
# they appear under "invitations" instead.
_IN_INVITATIONS = (MatchStatus.INVITED, MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN)


@dataclass
class Step:
    key: str
    done: bool
    label: str
    why: str
    url: str


@dataclass
class MemberHome:
    profile: ExpertProfile | None
    steps: list[Step] = field(default_factory=list)
    next_step: Step | None = None
    percent: int = 0
    stale: bool = False
    stale_soon: bool = False
    # Why no suggestion is shown even though the ranking may hold some ("" when they are shown).
    hidden_because: str = ""
    suggestions: Page | None = None
    set_aside: list = field(default_factory=list)
    invitations: list = field(default_factory=list)


def _profile(user) -> ExpertProfile | None:
    """The member's profile with what completeness needs, in one query (EXISTS per section)."""
    mine = OuterRef("pk")
    return (
        ExpertProfile.objects.filter(user=user)
        .select_related("origin_region")
        .annotate(
            has_skills=Exists(ExpertSkill.objects.filter(profile=mine)),
            has_languages=Exists(ExpertLanguage.objects.filter(profile=mine)),
            has_formats=Exists(ExpertFormat.objects.filter(profile=mine)),
            has_background=Exists(WorkExperience.objects.filter(profile=mine))
            | Exists(Education.objects.filter(profile=mine)),
        )
        .first()
    )


def profile_steps(profile: ExpertProfile) -> list[Step]:
    """What a complete profile has, in the order in which each item most improves the member's
    matches: the consents and the freshness without which they are not ranked at all, then the
    parts of the score (docs/matching.md: skills, languages, formats as a hard filter, the
    regional tie, availability, experience), then what only helps an official decide."""
    edit = lambda step: reverse("diaspora:profile_edit", kwargs={"step": step})  # noqa: E731
    fresh = profile.confirmed_at >= stale_cutoff()
    return [
        Step(
            "consent_matching",
            profile.consent_matching,
            _("Agree to be matched to regional needs"),
            _("Without this consent you are in no ranking."),
            reverse("diaspora:consent"),
        ),
        Step(
            "fresh",
            fresh and not profile.is_stale,
            _("Confirm that your profile is still true"),
            _("A profile not confirmed for a year leaves the rankings."),
            reverse("diaspora:profile_detail"),
        ),
        Step(
            "skills",
            profile.has_skills,
            _("Add your skills"),
            _("Skills weigh most in the score."),
            edit("skills"),
        ),
        Step(
            "languages",
            profile.has_languages,
            _("Add the languages you speak"),
            _("Many needs ask for a language at a given level."),
            edit("skills"),
        ),
        Step(
            "formats",
            profile.has_formats,
            _("Say what you are willing to give"),
            _("A need is suggested only to experts who offer its format."),
            edit("offer"),
        ),
        Step(
            "origin",
            profile.origin_region_id is not None,
            _("Give your region of origin"),
            _("A tie to the need's region counts in the score."),
            edit("about"),
        ),
        Step(
            "availability",
            profile.hours_per_month > 0,
            _("Say how many hours a month you can give"),
            _("Availability counts in the score."),
            edit("offer"),
        ),
        Step(
            "consent_contact",
            profile.consent_contact,
            _("Agree to be contacted about a match"),
            _("Officials can invite only experts who agreed."),
            reverse("diaspora:consent"),
        ),
        Step(
            "background",
            profile.has_background,
            _("Add your experience and education"),
            _("Officials read them before inviting you."),
            edit("background"),
        ),
        Step(
            "bio",
            bool(profile.bio),
            _("Write a short bio"),
            _("Officials read it before inviting you."),
            edit("about"),
        ),
    ]


def suggestions_queryset(profile: ExpertProfile) -> QuerySet:
    """Open needs for which `profile` is in the current stored ranking (or said "I can help"),
    best first, minus those set aside and those already in the contact workflow."""
    return (
        Match.objects.filter(profile=profile, need__status=NeedStatus.OPEN)
        .filter(Q(rank__isnull=False) | Q(interested=True))
        .exclude(status__in=_IN_INVITATIONS)
        .exclude(Exists(NeedSetAside.objects.filter(profile=profile, need=OuterRef("need"))))
        .annotate(offered=Exists(NeedInterest.objects.filter(user_id=profile.user_id, need=OuterRef("need"))))
        .select_related("need", "need__region", "need__province", "need__axis")
        .order_by("-score", "need_id")
    )


def member_home(*, user, page: str | int | None = 1) -> MemberHome:
    """Everything the member's home shows. Queries, whatever the number of needs: the profile;
    then, for a matchable profile with contact consent, the count and the page of suggestions
    and the labels of their skills; the needs set aside; the invitations."""
    if not is_member(user):
        raise PermissionDenied(_("This page is for diaspora members."))
    profile = _profile(user)
    home = MemberHome(profile=profile)
    if profile is None:
        return home
    home.steps = profile_steps(profile)
    done = sum(step.done for step in home.steps)
    home.percent = round(100 * done / len(home.steps))
    home.next_step = next((step for step in home.steps if not step.done), None)
    cutoff = stale_cutoff()
    home.stale = profile.is_stale or profile.confirmed_at < cutoff
    home.stale_soon = not home.stale and profile.confirmed_at < cutoff + REMIND_BEFORE
    matchable = profile.is_active and profile.consent_matching and not home.stale
    if not matchable:
        home.hidden_because = _("You are in no ranking now: see the next step above.")
    elif not profile.consent_contact:
        # The candidate page promises officials that an expert who refused contact is not told
        # they were ranked; the member learns why the list is empty instead.
        home.hidden_because = _(
            "Agree to be contacted about a match to see the needs for which you are ranked, and to be invited."
        )
    else:
        home.suggestions = Paginator(suggestions_queryset(profile), SUGGESTIONS_PER_PAGE).get_page(page)
        explain(home.suggestions.object_list)
    home.set_aside = list(
        NeedSetAside.objects.filter(profile=profile, need__status=NeedStatus.OPEN)
        .select_related("need", "need__region")
        .order_by("-created_at", "-pk")[:HOME_SET_ASIDE]
    )
    home.invitations = list(
        Match.objects.filter(profile=profile, status__in=_IN_INVITATIONS)
        .select_related("need", "need__region", "engagement")
        .order_by("-invited_at", "-pk")[:HOME_INVITATIONS]
    )
    return home


def own_profile(*, user) -> ExpertProfile | None:
    """The signed-in member's own profile, without its sections (one query)."""
    return ExpertProfile.objects.filter(user=user).first() if user.is_authenticated else None


# --- for the need's officials ----------------------------------------------------------------


def set_aside_counts(*, need, user) -> list[dict]:
    """How many experts said "not for me" to `need`, by reason: counts only, never who
    (one query). For the officials who may act for the need's region."""
    if not (user.is_authenticated and can_act_in_region(user, need.region_id)):
        raise PermissionDenied(_("You cannot act for this region."))
    rows = NeedSetAside.objects.filter(need=need).values_list("reason").annotate(n=Count("pk")).order_by("-n", "reason")
    labels = dict(SetAsideReason.choices)
    return [
        {
            "reason": reason,
            "count": n,
            "text": (
                ngettext("%(n)s expert said: %(reason)s", "%(n)s experts said: %(reason)s", n)
                % {"n": n, "reason": labels[reason]}
                if reason
                else ngettext("%(n)s expert said it is not for them", "%(n)s experts said it is not for them", n)
                % {"n": n}
            ),
        }
        for reason, n in rows
    ]


# --- impact ----------------------------------------------------------------------------------


def impact_page(*, user, page: str | int | None = 1) -> Page:
    """What became of each of the member's engagements (two queries: count, page)."""
    engagements = (
        Engagement.objects.filter(match__profile__user=user)
        .select_related("match__need__region", "match__need__axis", "match__need__province")
        .order_by("-started_at", "-pk")
    )
    return Paginator(engagements, IMPACT_PER_PAGE).get_page(page)


def contribution_lines(profile_ids) -> dict[int, str]:
    """The public line of each profile: "contributed to 3 needs in Souss-Massa" (completed
    engagements, by the need's region), in the active language. Two queries."""
    rows = list(
        Engagement.objects.filter(status=EngagementStatus.COMPLETED, match__profile_id__in=list(profile_ids))
        .values_list("match__profile_id", "match__need__region_id")
        .annotate(n=Count("match__need", distinct=True))
        .order_by("match__profile_id", "-n", "match__need__region_id")
    )
    regions = {r.pk: r.name for r in Region.objects.filter(pk__in={region for _p, region, _n in rows})} if rows else {}
    parts: dict[int, list[str]] = {}
    for profile_id, region_id, n in rows:
        parts.setdefault(profile_id, []).append(
            ngettext("contributed to %(n)s need in %(region)s", "contributed to %(n)s needs in %(region)s", n)
            % {"n": n, "region": regions.get(region_id, "")}
        )
    return {pk: "; ".join(lines) for pk, lines in parts.items()}


def contributors_page(*, page: str | int | None = 1) -> Page:
    """The public list: members who chose to show their contributions (the consent purpose
    PUBLIC_CONTRIBUTIONS, withdrawn at any time), active, with at least one completed
    engagement. Display name and the line only. Three or four queries."""
    completed = Engagement.objects.filter(match__profile=OuterRef("pk"), status=EngagementStatus.COMPLETED)
    profiles = (
        ExpertProfile.objects.active()
        .filter(consent_public_contributions=True)
        .filter(Exists(completed))
        .only("pk", "display_name")
        .order_by("display_name", "pk")
    )
    result = Paginator(profiles, CONTRIBUTORS_PER_PAGE).get_page(page)
    lines = contribution_lines([p.pk for p in result.object_list])
    for profile in result.object_list:
        profile.contribution_line = lines.get(profile.pk, "")
    return result


def own_contribution_line(*, profile: ExpertProfile) -> str:
    return contribution_lines([profile.pk]).get(profile.pk, "")
