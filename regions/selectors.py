from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.permissions import can_act_in_region, is_national, is_official, region_ids_for, regions_for
from taxonomy.selectors import skill_briefs

from .enums import MeetingStatus, NeedStatus, ProvinceKind
from .models import (
    Commune,
    ConsultationMeeting,
    Decision,
    Indicator,
    Need,
    NeedInterest,
    NeedLanguage,
    NeedSkill,
    Partnership,
    Province,
    Region,
    Roadmap,
    Stakeholder,
    Study,
)


def region_list() -> list[Region]:
    """The 12 regions, with their counts of provinces/prefectures and communes (one query)."""
    return list(
        Region.objects.annotate(
            province_count=Count(
                "provinces",
                filter=~Q(provinces__kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS),
                distinct=True,
            ),
            commune_count=Count("communes", distinct=True),
        ).order_by("code")
    )


def region_get(*, code: str) -> Region:
    """One region with its provinces (404 for an unknown code)."""
    provinces = Province.objects.annotate(commune_count=Count("communes")).order_by("code")
    return get_object_or_404(Region.objects.prefetch_related(Prefetch("provinces", queryset=provinces)), code=code)


# --- Roadmaps and needs ----------------------------------------------------------------------


def region_by_code(*, code: str) -> Region:
    return get_object_or_404(Region, code=code)


def roadmap_list(*, user, region: Region) -> list[Roadmap]:
    """Every version of `region`'s roadmap `user` may read, newest first."""
    return list(Roadmap.objects.visible_to(user).filter(region=region).select_related("region").order_by("-version"))


def roadmap_get(*, user, region: Region, version: int) -> Roadmap:
    """One version with its axes and documents; drafts only for the region's officials (404 otherwise)."""
    return get_object_or_404(
        Roadmap.objects.visible_to(user).filter(region=region).prefetch_related("axes", "documents"),
        version=version,
    )


def roadmap_for_edit(*, user, region: Region, version: int) -> Roadmap:
    """A version `user` may change (404 for anyone outside the region's scope)."""
    return get_object_or_404(Roadmap.objects.writable_by(user).filter(region=region), version=version)


def roadmap_adopted(*, region: Region) -> Roadmap | None:
    return (
        Roadmap.objects.adopted()
        .filter(region=region)
        .select_related("region")
        .prefetch_related("axes", "documents")
        .first()
    )


def need_list(*, user, region: Region | None = None) -> QuerySet:
    """Needs `user` may see, with everything a list row shows fetched in constant queries."""
    needs = Need.objects.visible_to(user)
    if region is not None:
        needs = needs.filter(region=region)
    return needs.select_related("region", "sector", "province", "commune", "axis").prefetch_related(
        # Lists show a skill's label, never its descriptions (long texts in every language).
        Prefetch(
            "skills",
            queryset=NeedSkill.objects.select_related("skill")
            .defer("skill__descriptions")
            .order_by("-essential", "-weight", "pk"),
        )
    )


# The partner API reads needs as plain rows, not model instances: on a page of 50, building the
# ~700 instances of the needs, their territories, axes, skills and languages cost several times
# the SQL (bench/api.py, docs/decisions/0006). The portal's pages keep need_list.
NEED_ROW_FIELDS = (
    "id", "title", "description", "text_language", "translations", "roadmap_id", "format", "work_mode", "start_date",
    "duration_days", "end_date", "experts_wanted", "status", "response_deadline", "published_at",
    "axis_id", "axis__kind", "axis__title",
    "region_id", "region__code", "region__name_ar", "region__name_fr", "region__name_en",
    "sector_id", "sector__code", "sector__name_ar", "sector__name_fr", "sector__name_en",
    "province_id", "commune_id",
)  # fmt: skip


def need_rows(*, user) -> QuerySet:
    """Needs `user` may see, as rows (dicts of NEED_ROW_FIELDS) in one query; filter, order and
    slice it like any queryset, then complete a page with need_rows_complete."""
    return Need.objects.visible_to(user).values(*NEED_ROW_FIELDS)


def need_rows_complete(rows: list[dict]) -> list[dict]:
    """`rows` of need_rows, each given its `province` and `commune` ({id, code, name_ar,
    name_fr} or None), its `skills` (with the skill's uri and label in the active language) and
    its `languages`: five queries whatever their number, fewer when no row has a province or a
    commune.

    The province and commune are looked up here rather than joined to the page's query: with
    them, PostgreSQL 15 spent 8 ms planning that query's seven joins (the number of join orders
    grows exponentially), and 0.9 ms without them."""
    ids = [row["id"] for row in rows]
    places = {
        field: _territories(model, {row[f"{field}_id"] for row in rows} - {None})
        for field, model in (("province", Province), ("commune", Commune))
    }
    needed = list(
        NeedSkill.objects.filter(need_id__in=ids)
        .order_by("need_id", "-essential", "-weight", "pk")
        .values_list("need_id", "skill_id", "weight", "essential", "min_level")
    )
    briefs = skill_briefs(row[1] for row in needed)
    skills = defaultdict(list)
    for need_id, skill_id, weight, essential, min_level in needed:
        uri, label = briefs[skill_id]
        skills[need_id].append(
            {"skill_id": skill_id, "uri": uri, "label": label, "weight": weight, "essential": essential,
             "min_level": min_level}
        )  # fmt: skip
    languages = defaultdict(list)
    spoken = NeedLanguage.objects.filter(need_id__in=ids).order_by("need_id", "pk")
    for need_id, language, min_level in spoken.values_list("need_id", "language", "min_level"):
        languages[need_id].append({"language": language, "min_level": min_level})
    for row in rows:
        row["province"] = places["province"].get(row["province_id"])
        row["commune"] = places["commune"].get(row["commune_id"])
        row["skills"], row["languages"] = skills[row["id"]], languages[row["id"]]
    return rows


def _territories(model, ids: set[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = model.objects.filter(pk__in=ids).order_by().values("id", "code", "name_ar", "name_fr")
    return {row["id"]: row for row in rows}


def need_get(*, user, region: Region, pk: int) -> Need:
    """One need as its page shows it (404 if `user` may not see it)."""
    return get_object_or_404(
        need_list(user=user, region=region).select_related("owner", "roadmap__region").prefetch_related("languages"),
        pk=pk,
    )


def need_for_edit(*, user, region: Region, pk: int) -> Need:
    return get_object_or_404(Need.objects.writable_by(user).filter(region=region).select_related("roadmap"), pk=pk)


def need_interest_of(*, need: Need, user) -> NeedInterest | None:
    if not user.is_authenticated:
        return None
    return NeedInterest.objects.filter(need=need, user=user).first()


def need_interests(*, user, need: Need) -> list[NeedInterest]:
    """Who said they can help: personal data, for the region's officials only."""
    if not can_act_in_region(user, need.region_id) or not (is_official(user) or is_national(user)):
        return []
    # The profile too (one LEFT JOIN): the view logs the read of each expert (diaspora.access_log).
    return list(need.interests.select_related("user", "user__expert_profile").order_by("created_at"))


def need_manage_list(*, user, region: Region) -> list[Need]:
    """All of a region's needs, drafts included, for its officials."""
    return list(
        Need.objects.writable_by(user)
        .filter(region=region)
        .select_related("region", "axis", "owner", "roadmap")
        .annotate(interest_count=Count("interests"))
        .order_by("status", "-updated_at")
    )


# --- Consultation, civil society, research ---------------------------------------------------


def stakeholder_list(*, region: Region) -> list[Stakeholder]:
    return list(Stakeholder.objects.active().filter(region=region).order_by("kind", "name"))


def stakeholder_for_edit(*, user, region: Region, pk: int) -> Stakeholder:
    return get_object_or_404(Stakeholder.objects.writable_by(user).filter(region=region), pk=pk)


# The one rule for what is public about a consultation meeting, used by its page, its calendar
# file and the API: anyone may read these; the participants (personal data), the minutes (a
# working record until the decisions are published) and the online meeting link (an open door
# to the meeting) are for the officials of the region and national staff only.
MEETING_PUBLIC_FIELDS = (
    "id", "region", "roadmap", "title", "starts_at", "ends_at", "place", "agenda", "text_language", "translations",
    "status", "stakeholders", "decisions",
)  # fmt: skip
MEETING_RESTRICTED_FIELDS = ("participants", "minutes", "online_url")


def meeting_restricted_visible(*, user, region: Region) -> bool:
    """Whether `user` may see a meeting's restricted fields (and edit it): its region's officials."""
    return (is_official(user) or is_national(user)) and can_act_in_region(user, region.pk)


def meeting_list(*, region: Region) -> list[ConsultationMeeting]:
    """A region's meetings (not cancelled) with their decisions, newest first."""
    decisions = Decision.objects.select_related("axis", "need", "owner").order_by("pk")
    return list(
        ConsultationMeeting.objects.filter(region=region)
        .select_related("region")
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related(Prefetch("decisions", queryset=decisions))
        .order_by("-starts_at")
    )


def meeting_get(*, region: Region, pk: int) -> ConsultationMeeting:
    decisions = Decision.objects.select_related("axis", "need", "owner").order_by("pk")
    return get_object_or_404(
        ConsultationMeeting.objects.filter(region=region)
        .select_related("region")
        .prefetch_related(Prefetch("decisions", queryset=decisions), "participants", "stakeholders"),
        pk=pk,
    )


def meeting_for_edit(*, user, region: Region, pk: int) -> ConsultationMeeting:
    return get_object_or_404(ConsultationMeeting.objects.writable_by(user).filter(region=region), pk=pk)


def decision_for_edit(*, user, meeting: ConsultationMeeting, pk: int) -> Decision:
    return get_object_or_404(Decision.objects.writable_by(user).filter(meeting=meeting), pk=pk)


def partnership_list(*, region: Region) -> list[Partnership]:
    return list(
        Partnership.objects.filter(region=region).prefetch_related("partners", "axes", "needs").order_by("-start_date")
    )


def partnership_for_edit(*, user, region: Region, pk: int) -> Partnership:
    return get_object_or_404(Partnership.objects.writable_by(user).filter(region=region), pk=pk)


def study_list(*, query: str = "", region: Region | None = None) -> QuerySet:
    studies = Study.objects.search(query)
    if region is not None:
        studies = studies.in_region(region)
    return studies.prefetch_related("regions").order_by("-year", "title")


def study_get(*, pk: int) -> Study:
    return get_object_or_404(Study.objects.prefetch_related("regions", "axes", "needs"), pk=pk)


def study_for_edit(*, user, pk: int) -> Study:
    """A study `user` may change: coordinators any; officials those covering only their regions."""
    study = study_get(pk=pk)
    ids = region_ids_for(user)
    covered = {r.pk for r in study.regions.all()}
    if not (is_official(user) or is_national(user)) or (ids is not None and (not covered or covered - ids)):
        raise Http404
    return study


# --- Indicators ------------------------------------------------------------------------------


def indicator_overview(*, region: Region | None = None) -> list[dict]:
    """Per indicator: the latest national figure and, for `region`, its latest official figure
    or None (the page then says it is not available and why). Two queries at most."""
    national: dict[str, Indicator] = {}
    for row in Indicator.objects.filter(region__isnull=True).order_by("key", "-year"):
        national.setdefault(row.key, row)
    regional: dict[str, Indicator] = {}
    if region is not None:
        for row in Indicator.objects.filter(region=region).order_by("key", "-year"):
            regional.setdefault(row.key, row)
    keys = sorted(set(national) | set(regional))
    return [{"key": k, "national": national.get(k), "regional": regional.get(k)} for k in keys]


def indicator_list(*, region: Region | None = None) -> list[Indicator]:
    """Every figure (all years) of the nation (`region` None) or of one region."""
    rows = Indicator.objects.filter(region=region) if region else Indicator.objects.filter(region__isnull=True)
    return list(rows.order_by("key", "-year"))


def region_page(*, user, region: Region) -> dict:
    """What the public page of a region shows, in a fixed number of queries."""
    roadmap = roadmap_adopted(region=region)
    return {
        "roadmap": roadmap,
        "roadmaps": roadmap_list(user=user, region=region),
        "open_needs": list(need_list(user=user, region=region).filter(status=NeedStatus.OPEN)[:10]),
        "stakeholders": stakeholder_list(region=region),
        "meetings": [m for m in meeting_list(region=region) if m.status == MeetingStatus.HELD][:5],
        "partnerships": partnership_list(region=region),
        "studies": list(study_list(region=region)[:5]),
        "indicators": indicator_overview(region=region),
        "can_manage": bool(regions_for(user).filter(pk=region.pk).exists()) if user.is_authenticated else False,
    }
