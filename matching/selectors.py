"""Permission-aware reads of the matching app. Role scoping goes through portal.permissions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from diaspora.selectors import ExpertContact, expert_contacts
from portal.enums import Language, LanguageLevel, SkillLevel
from portal.permissions import can_act_in_region, is_member, is_national, is_official
from projects.enums import ProjectStage
from projects.selectors import projects_queryset_for
from taxonomy.models import Skill

from .enums import WORKFLOW_STATUSES, MatchStatus
from .models import DigestSubscription, InvestmentMatch, Match


def _require_need_scope(user, need) -> None:
    if not (user.is_authenticated and can_act_in_region(user, need.region_id)):
        raise PermissionDenied(_("You cannot act for this region."))


def match_candidates(*, need, user) -> list[Match]:
    """The ranked, explained candidates of `need` for its region's officials: the top K,
    anyone in the workflow, and anyone who said they were interested; only experts who
    consent to matching *now*. Three queries whatever the number of rows (four when some
    accepted: their contact details, read through `match_contacts`).

    Each match gets `display_rank`: the stored ranks renumbered 1, 2, 3… over the rows shown,
    so that a candidate who left (consent withdrawn) leaves no hole before the next re-match
    rewrites the ranks; `origin` (region, province) and `residence` (country; the city too once
    the expert's contact is shared with the need's officials)."""
    _require_need_scope(user, need)
    matches = list(
        Match.objects.filter(need=need)
        .with_current_consent()
        .filter(Q(rank__isnull=False) | Q(status__in=WORKFLOW_STATUSES) | Q(interested=True))
        .select_related("profile", "profile__origin_region", "profile__origin_province")
        .select_related("engagement")  # the owner's engagement form (accepted candidates)
        .order_by(F("rank").asc(nulls_last=True), "-score", "pk")
    )
    places = {match.pk: origin_place(match.profile) for match in matches}
    explain(matches, places=places)
    contacts = match_contacts(matches)
    position = 0
    for match in matches:
        match.contact = contacts.get(match.pk)
        # Rows are limited to matchable profiles above, so contact consent is the one rule left
        # (match_invite checks it again under lock).
        match.can_invite = match.profile.consent_contact
        match.origin = places[match.pk]
        match.residence = residence_place(match.profile, match.contact)
        if match.rank is not None:
            position += 1
        match.display_rank = position if match.rank is not None else None
    return matches


_PROVINCE_KIND_PLACES = {
    "province": _lazy("%(name)s province"),
    "prefecture": _lazy("%(name)s prefecture"),
    "prefecture_of_arrondissements": _lazy("%(name)s prefecture of arrondissements"),
}


def origin_place(profile) -> str:
    """Where the expert comes from ("Souss-Massa, Taroudannt province"), in the active language
    ("" when they did not say). `profile` has origin_region and origin_province loaded."""
    if not profile.origin_region_id:
        return ""
    region = profile.origin_region.name
    province = profile.origin_province if profile.origin_province_id else None
    if province is None:
        return region
    kind = _PROVINCE_KIND_PLACES.get(province.kind, _PROVINCE_KIND_PLACES["province"])
    return _("%(region)s, %(province)s") % {"region": region, "province": kind % {"name": province.name}}


def residence_place(profile, contact: ExpertContact | None) -> str:
    """The country of residence (always on a candidate card), with the city only when `contact`
    (the expert's shared contact details) carries it."""
    country = str(profile.country_of_residence.name)
    if contact is not None and contact.city:
        return _("%(city)s, %(country)s") % {"city": contact.city, "country": country}
    return country


def match_get_for_owner(*, pk: int, user) -> Match:
    match = Match.objects.select_related("need", "need__region", "profile", "profile__user").get(pk=pk)
    _require_need_scope(user, match.need)
    return match


def invitation_list(*, user) -> list[Match]:
    """What the expert was invited to, and what became of it (two queries)."""
    matches = list(
        Match.objects.filter(profile__user=user)
        .exclude(status__in=(MatchStatus.SUGGESTED, MatchStatus.SHORTLISTED))
        .select_related("need", "need__region", "engagement")
        .order_by("-invited_at", "-pk")
    )
    explain(matches)
    return matches


def invitation_get(*, pk: int, user) -> Match:
    """An invitation, for the invited expert only."""
    match = Match.objects.select_related(
        "need", "need__region", "need__province", "need__commune", "need__axis", "profile", "engagement"
    ).get(pk=pk)
    if match.profile.user_id != user.pk or match.status in (MatchStatus.SUGGESTED, MatchStatus.SHORTLISTED):
        raise PermissionDenied(_("This invitation is not yours."))
    explain([match])
    return match


def match_contact(*, match: Match, user) -> ExpertContact | None:
    """The expert's contact details: for the need's officials, once accepted, while the
    expert consents to contact."""
    _require_need_scope(user, match.need)
    return match_contacts([match]).get(match.pk)


def match_contacts(matches: list[Match]) -> dict[int, ExpertContact]:
    """Contact details by match id, for the accepted ones among `matches` whose expert
    consents to contact now (diaspora.selectors.expert_contacts, the only door to them).
    The caller has checked that the user may act for these matches' needs."""
    accepted = [m for m in matches if m.status == MatchStatus.ACCEPTED]
    contacts = expert_contacts(profile_ids=[m.profile_id for m in accepted])
    return {m.pk: contacts[m.profile_id] for m in accepted if m.profile_id in contacts}


def digest_subscribed(*, user) -> bool:
    return DigestSubscription.objects.filter(user=user).exists()


# --- explanations ----------------------------------------------------------------------


def explain(matches: list[Match], *, places: dict[int, str] | None = None) -> None:
    """Attach `match.explanation` (translated lines, active language) to each match, with one
    query for the labels of every skill they mention. `places` (by match id: the expert's
    origin, see origin_place) lets the regional tie name the place instead of "the need's"."""

    ids = set()
    for match in matches:
        for item in match.parts.get("skills", []):
            ids.add(item["skill"])
            if item.get("via"):
                ids.add(item["via"])
    labels = {pk: skill.label for pk, skill in ((s.pk, s) for s in Skill.objects.filter(pk__in=ids))} if ids else {}
    for match in matches:
        match.explanation = explanation_lines(match.parts, labels, place=(places or {}).get(match.pk, ""))


def explanation_lines(parts: dict, labels: dict[int, str], *, place: str = "") -> dict:
    """The explanation as translated sentences, grouped: skills, languages, tie, parts. With
    `place` (the expert's origin), a regional tie reads "From Souss-Massa, Taroudannt province"."""
    language_names = dict(Language.choices)
    level_names = dict(LanguageLevel.choices)
    skill_levels = dict(SkillLevel.choices)
    skills = []
    for item in parts.get("skills", []):
        required = labels.get(item["skill"], "?")
        relation = item.get("relation")
        if relation == "exact":
            text = _("%(skill)s: exact match (%(level)s, %(years)s years)") % {
                "skill": required,
                "level": skill_levels.get(item.get("level"), ""),
                "years": item.get("years", 0),
            }
        elif relation == "narrower":
            text = _("%(skill)s: partly, through the more specific skill %(held)s") % {
                "skill": required,
                "held": labels.get(item.get("via"), "?"),
            }
        elif relation == "broader":
            text = _("%(skill)s: partly, through the broader skill %(held)s") % {
                "skill": required,
                "held": labels.get(item.get("via"), "?"),
            }
        else:
            text = _("%(skill)s: not held") % {"skill": required}
        skills.append({"text": text, "credit": item.get("credit", 0), "essential": item.get("essential", False)})
    languages = []
    for item in parts.get("languages", []):
        languages.append(
            {
                "text": _("%(language)s: %(level)s (asked: %(min)s)")
                % {
                    "language": language_names.get(item["language"], item["language"]),
                    "level": level_names.get(item["level"], _("not spoken")),
                    "min": level_names.get(item["min"], ""),
                },
                "ok": item["level"] >= item["min"],
            }
        )
    tie = {
        "province": _("Comes from the need's province"),
        "region": _("Comes from the need's region"),
    }.get(parts.get("tie", ""), "")
    if tie and place:
        tie = _("From %(place)s") % {"place": place}
    part_names = {
        "skills": _("Skills"),
        "languages": _("Languages"),
        "availability": _("Availability"),
        "experience": _("Experience"),
        "region": _("Tie to the region"),
    }
    scores = [
        {"name": part_names[name], "percent": round(100 * value)}
        for name, value in parts.get("parts", {}).items()
        if name in part_names
    ]
    return {"skills": skills, "languages": languages, "tie": tie, "parts": scores}


# --- investors and opportunities (docs/matching.md §7) -------------------------------------


def investment_suggestions_for_project(*, project, user) -> list:
    """Opportunities that may fit `project`, for its investor only, while they consent to
    matching (checked now, not when the suggestions were computed). One query."""

    if not (is_member(user) and project.investor_id == user.pk):
        return []
    rows = list(
        InvestmentMatch.objects.filter(project=project, project_rank__isnull=False)
        .with_current_consent()
        .select_related("opportunity", "opportunity__region", "opportunity__province", "opportunity__sector")
        .order_by("project_rank", "pk")
    )
    for row in rows:
        row.explanation = investment_explanation_lines(row.parts)
    return rows


def investment_suggestions_for_opportunity(*, opportunity, user) -> list:
    """Diaspora projects that may fit `opportunity`, for the officials of its region and national
    coordinators; only projects `user` may open (projects' own rules) and whose investor
    consents now. No contact details: the project page shows what its rules allow. One query."""

    if not ((is_official(user) or is_national(user)) and can_act_in_region(user, opportunity.region_id)):
        return []
    rows = list(
        InvestmentMatch.objects.filter(
            opportunity=opportunity, opportunity_rank__isnull=False, project__in=projects_queryset_for(user)
        )
        .with_current_consent()
        .select_related("project", "project__region", "project__province", "project__sector")
        .order_by("opportunity_rank", "pk")
    )
    for row in rows:
        row.explanation = investment_explanation_lines(row.parts)
    return rows


def investment_explanation_lines(parts: dict) -> dict:
    """An investment suggestion's explanation as translated sentences (active language)."""

    sector = {
        "division": _("Same sector and same ISIC division"),
        "section": _("Same sector (ISIC section)"),
    }.get(parts.get("sector", ""), "")
    place = {
        "province": _("In the project's province"),
        "region": _("In the project's region"),
        "origin_province": _("In the investor's province of origin"),
        "origin_region": _("In the investor's region of origin"),
    }.get(parts.get("place", ""), _("Outside the project's region"))
    amount = {
        "inside": _("The amount is within the investment range"),
        "below": _("The amount is below the investment range"),
        "above": _("The amount is above the investment range"),
    }.get(parts.get("amount", ""), "")
    stage_label = dict(ProjectStage.choices).get(parts.get("stage", ""), "")
    stage = _("Project stage: %(stage)s") % {"stage": stage_label} if stage_label else ""
    part_names = {"sector": _("Sector"), "place": _("Place"), "amount": _("Amount"), "stage": _("Stage")}
    scores = [
        {"name": part_names[name], "percent": round(100 * value)}
        for name, value in parts.get("parts", {}).items()
        if name in part_names
    ]
    return {"lines": [line for line in (sector, place, amount, stage) if line], "parts": scores}
