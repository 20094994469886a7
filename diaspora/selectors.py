"""Permission-aware reads of the diaspora app.

Officials and coordinators see experts as `ExpertCard`s: plain frozen values built from a
fixed list of columns. A card has no e-mail, phone, CV, birth year, city or user — it holds no
model instance either, so no template or serializer can reach the contact details through a
relation. Contact details come only from `expert_contacts`, which reads the current consent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from portal.permissions import can

# A pure module (no Django): the one implementation of the open-data small-count rule.
from portal.suppression import is_publishable, round_count
from taxonomy.selectors import skill_briefs

from .disclosure import generalise_rows
from .filtersets import ExpertProfileFilterSet
from .models import Association, ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill

# Columns an official may see. Adding a column here is a privacy decision: review it.
CARD_COLUMNS = (
    "pk",
    "display_name",
    "country_of_residence",
    "origin_region",
    "bio",
    "work_mode",
    "hours_per_month",
    "available_from",
    "available_until",
    "confirmed_at",
)


@dataclass(frozen=True)
class ExpertCard:
    id: int
    display_name: str
    country_code: str
    country_name: str
    origin_region: str
    bio: str
    work_mode: str
    hours_per_month: int
    available_from: date | None
    available_until: date | None
    confirmed_at: datetime
    skills: tuple[tuple[str, str, int], ...]  # (label, level label, years)
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class ExpertContact:
    id: int
    display_name: str
    email: str
    phone: str
    # The city of residence goes with the contact details: shown only to whom the expert's
    # contact is shared (an accepted invitation, contact consent held now).
    city: str = ""


def can_browse_experts(user) -> bool:
    """Officials acting for at least one region, and national coordinators."""
    return can(user, "diaspora.browse_experts")


def _card(profile: ExpertProfile) -> ExpertCard:
    return ExpertCard(
        id=profile.pk,
        display_name=profile.display_name,
        country_code=profile.country_of_residence.code,
        country_name=str(profile.country_of_residence.name),
        origin_region=profile.origin_region.name if profile.origin_region_id else "",
        bio=profile.bio,
        work_mode=profile.get_work_mode_display(),
        hours_per_month=profile.hours_per_month,
        available_from=profile.available_from,
        available_until=profile.available_until,
        confirmed_at=profile.confirmed_at,
        skills=tuple((s.skill.label, s.get_level_display(), s.years) for s in profile.skills.all()),
        languages=tuple(str(lang) for lang in profile.languages.all()),
        formats=tuple(f.get_format_display() for f in profile.formats.all()),
        sectors=tuple(s.name for s in profile.sectors.all()),
    )


def expert_queryset_for(user) -> QuerySet[ExpertProfile]:
    """The profiles `user` may browse: matchable ones (consent to matching, active, fresh),
    for officials of a region and coordinators; nothing for anyone else."""
    if not can_browse_experts(user):
        return ExpertProfile.objects.none()
    return ExpertProfile.objects.matchable()


def expert_list(
    *, user, filters: dict | None = None, page: int | str = 1, per_page: int = 25
) -> tuple[Page, ExpertProfileFilterSet]:
    """A page of ExpertCards for officials and coordinators, filtered; constant queries
    (count, page, skills, languages, formats, sectors) whatever the page size."""
    filterset = ExpertProfileFilterSet(filters or {}, queryset=expert_queryset_for(user))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    queryset = (
        queryset.select_related("origin_region")
        .only(
            *[c for c in CARD_COLUMNS if c != "pk"],
            "origin_region__name_ar",
            "origin_region__name_fr",
            "origin_region__name_en",
        )
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=ExpertSkill.objects.select_related("skill").only(
                    "profile_id", "skill__labels", "level", "years"
                ),
            ),
            "languages",
            "formats",
            "sectors",
        )
        .order_by("-confirmed_at", "pk")
    )
    paginator = Paginator(queryset, per_page)
    page_obj = paginator.get_page(page)
    page_obj.object_list = [_card(p) for p in page_obj.object_list]
    return page_obj, filterset


# The partner API reads pseudonymised experts as rows, not instances, for the reason given at
# regions.selectors.NEED_ROW_FIELDS. Never a name, contact, biography, birth year, city or CV.
PARTNER_EXPERT_FIELDS = (
    "id", "country_of_residence", "origin_region__code", "work_mode", "hours_per_month", "available_from",
    "available_until", "confirmed_at",
)  # fmt: skip


def partner_expert_rows() -> QuerySet:
    """Experts who share with partners (active, consenting) as rows of PARTNER_EXPERT_FIELDS, in
    one query; filter and page it, then complete a page with partner_expert_rows_complete."""
    return ExpertProfile.objects.for_partners().values(*PARTNER_EXPERT_FIELDS)


def partner_expert_rows_complete(rows: list[dict]) -> list[dict]:
    """`rows` of partner_expert_rows, each given its `sectors` (codes), `skills` (with the
    skill's label in the active language), `languages` and `formats`, with the quasi-identifiers
    coarsened (diaspora.disclosure): five queries whatever their number (six when the
    published places are not cached)."""
    ids = [row["id"] for row in rows]
    sectors, skills, languages, formats = (defaultdict(list) for _ in range(4))
    through = ExpertProfile.sectors.through.objects.filter(expertprofile_id__in=ids)
    for profile_id, code in through.order_by("sector__code").values_list("expertprofile_id", "sector__code"):
        sectors[profile_id].append(code)
    held = list(
        ExpertSkill.objects.filter(profile_id__in=ids)
        .order_by("-level", "pk")
        .values_list("profile_id", "skill_id", "level", "years")
    )
    briefs = skill_briefs(row[1] for row in held)
    for profile_id, skill_id, level, years in held:
        skills[profile_id].append({"skill_id": skill_id, "label": briefs[skill_id][1], "level": level, "years": years})
    spoken = ExpertLanguage.objects.filter(profile_id__in=ids).order_by("-level", "language")
    for profile_id, language, level in spoken.values_list("profile_id", "language", "level"):
        languages[profile_id].append({"language": language, "level": level})
    offered = ExpertFormat.objects.filter(profile_id__in=ids).order_by("format")
    for profile_id, format_ in offered.values_list("profile_id", "format"):
        formats[profile_id].append(format_)
    for row in rows:
        pk = row["id"]
        row.update(sectors=sectors[pk], skills=skills[pk], languages=languages[pk], formats=formats[pk])
    # Place and years coarsened before the rows leave the selector (diaspora.disclosure).
    return generalise_rows(rows)


def expert_contacts(*, profile_ids) -> dict[int, ExpertContact]:
    """The one read of experts' contact details (e-mail, phone, city), keyed by profile id.

    Consent is read now, in this query: a profile whose owner withdrew contact consent (or
    matching consent, or who left) is simply absent. Callers decide *who* may ask (the matching
    app: the need's officials, for accepted matches); this function decides *whether* the
    expert still agrees. Never cache its answer or copy it into a queued message. One query.
    """
    ids = sorted({int(pk) for pk in profile_ids})
    if not ids:
        return {}
    rows = ExpertProfile.objects.contactable().filter(pk__in=ids)
    return {
        pk: ExpertContact(id=pk, display_name=name, email=email, phone=phone, city=city)
        for pk, name, email, phone, city in rows.values_list("pk", "display_name", "user__email", "phone", "city")
    }


def own_profile_get(*, user) -> ExpertProfile | None:
    """The signed-in member's own profile, with everything the overview shows."""
    if not user.is_authenticated:
        return None
    return (
        ExpertProfile.objects.filter(user=user)
        .select_related("origin_region", "origin_province", "origin_commune")
        .prefetch_related(
            Prefetch("skills", queryset=ExpertSkill.objects.select_related("skill")),
            "languages",
            "formats",
            "sectors",
            "experiences",
            "education",
        )
        .first()
    )


def _associations() -> QuerySet[Association]:
    # Only members whose active profile consents to statistics are counted: the count is a
    # statistic about people, and a member who refused statistics is not in any.
    counted = Q(
        memberships__user__is_active=True,
        memberships__user__expert_profile__is_active=True,
        memberships__user__expert_profile__consent_statistics=True,
    )
    return (
        Association.objects.listed()
        .annotate(counted_members=Count("memberships", filter=counted, distinct=True))
        .prefetch_related("focus_sectors", "origin_regions")
        .order_by("name")
    )


def _published(association: Association) -> Association:
    """`member_count` as the open-data rules publish it (portal.suppression): 0 or at
    least 10, rounded to 5; None (shown as "fewer than 10") otherwise. Each association's count
    is a cell of its own with no published total, so no secondary suppression is needed."""
    count = association.counted_members
    association.member_count = round_count(count) if is_publishable(count) else None
    return association


def association_list() -> list[Association]:
    """Public: listed associations with their sectors and regions, and a published member count."""
    return [_published(association) for association in _associations()]


def association_get(*, pk: int) -> Association:
    return _published(_associations().get(pk=pk))
