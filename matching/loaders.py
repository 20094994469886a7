"""Engine inputs from the database, in a handful of queries.

On PostgreSQL the large reads come back as one bytea per query, each record packed by the
server as big-endian int4s, which NumPy reads in place (100,000 experts' 780,000 skills in
well under a second). Elsewhere (the SQLite demo) a plain cursor does it.
Skill rows are skill ids; region and province are their ids (-1 for none).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from scipy import sparse

from diaspora.models import ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill
from portal.enums import EngagementFormat, Language, WorkMode
from projects.enums import OpportunityStatus, ProjectStatus
from projects.models import Opportunity, Project
from regions.models import Need, NeedLanguage, NeedSkill
from taxonomy.models import Skill, SkillRelation

from . import engine, investment
from .conf import MatchingConf
from .enums import MatchStatus
from .models import Match

LANGUAGE_CODES = list(Language.values)
LANGUAGE_INDEX = {code: i for i, code in enumerate(LANGUAGE_CODES)}
FORMAT_BIT = {code: 1 << i for i, code in enumerate(EngagementFormat.values)}
WORK_MODE_BITS = {WorkMode.REMOTE: engine.REMOTE, WorkMode.ON_SITE: engine.ON_SITE, WorkMode.BOTH: 3}
HOURS_FULL = 20  # hours a month that count as fully available


def _case(field: str, mapping: dict, default: int = 0) -> Case:
    return Case(
        *(When(**{field: key}, then=Value(value)) for key, value in mapping.items()),
        default=Value(default),
        output_field=IntegerField(),
    )


def fetch_ints(queryset, columns: list[str], extra: tuple[str, ...] = ()) -> np.ndarray:
    """The rows of `queryset.values_list(*columns)` as an (n × len(columns)) int64 array.

    `extra` (PostgreSQL only) adds integer SQL expressions over the row, `q.c0` being its
    first column: correlated subqueries that fold a child table into one number.
    """
    qs = queryset.values_list(*columns)
    width = len(columns) + len(extra)
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # e.g. `pk__in=[]`: Django knows there is nothing to ask
        return np.zeros((0, width), np.int64)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return np.array(rows, dtype=np.int64).reshape(len(rows), width)
    # One value back: every record packed server-side as big-endian int4s into one bytea,
    # sent raw through a binary COPY (a row-by-row fetch costs a Python call per row, and a
    # plain SELECT sends bytea hex-encoded: both take seconds at national scale). Ids and
    # values all fit in 32 bits.
    expressions = [f"q.c{i}" for i in range(len(columns))] + list(extra)
    packed = " || ".join(f"int4send(({e})::int4)" for e in expressions)
    names = ", ".join(f"c{i}" for i in range(len(columns)))
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        inner = cursor.mogrify(sql, params).decode()
        # `inner` is Django's compiled query with its parameters bound by the driver itself.
        query = f"SELECT count(*)::int8, string_agg({packed}, ''::bytea) FROM ({inner}) AS q({names})"  # noqa: S608
        # JIT compilation costs ~0.1 s per query and saves nothing on these scans.
        cursor.execute("SET jit = off")
        try:
            cursor.copy_expert(f"COPY ({query}) TO STDOUT (FORMAT binary)", buffer)
        finally:
            cursor.execute("RESET jit")
    raw = buffer.getbuffer()
    # 19-byte header, then one tuple: int16 field count, (int32 length, bytes) per field.
    count = int(np.frombuffer(raw, ">i8", count=1, offset=19 + 2 + 4)[0])
    length = int(np.frombuffer(raw, ">i4", count=1, offset=19 + 2 + 4 + 8)[0])
    if count == 0:
        return np.zeros((0, width), np.int64)
    data = np.frombuffer(raw, ">i4", count=length // 4, offset=19 + 2 + 4 + 8 + 4)
    out = data.astype(np.int64).reshape(-1, width)
    if len(out) != count:
        raise ValueError("NULL in a loaded column; coalesce it in the query")
    return out


def _among(queryset, column: str, ids):
    """`column IN ids` for thousands of ids: one array parameter on PostgreSQL (the ORM's
    IN list prepares and binds every value, a tenth of a second per 10,000)."""
    ids = [int(i) for i in ids]
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{column}__in": ids})
    table = queryset.model._meta.db_table
    return queryset.extra(where=[f'"{table}"."{column}" = ANY(%s::bigint[])'], params=[ids])  # noqa: S610


# --- taxonomy ---------------------------------------------------------------------------

_hierarchy_cache: dict = {}


def hierarchy_load(conf: MatchingConf) -> engine.Hierarchy:
    """The credit matrix, rebuilt only when the taxonomy changed (cached per process)."""

    relations = SkillRelation.objects.aggregate(n=Count("pk"), last=Max("pk"))
    last_skill = Skill.objects.aggregate(last=Max("pk"))["last"] or 0
    signature = (last_skill, relations["n"], relations["last"], repr(conf))
    cached = _hierarchy_cache.get("hierarchy")
    if cached is not None and cached[0] == signature:
        return cached[1]
    links = fetch_ints(SkillRelation.objects.order_by("pk"), ["narrower_id", "broader_id"])
    hierarchy = engine.hierarchy_build(int(signature[0]) + 1, links[:, 0], links[:, 1], conf)
    _hierarchy_cache["hierarchy"] = (signature, hierarchy)
    return hierarchy


# --- experts ----------------------------------------------------------------------------


def experts_load(
    profile_ids=None, n_skills: int | None = None, skill_ids=None, need_filters: dict | None = None
) -> engine.Experts:
    """Matchable experts (all, or those among `profile_ids`), ordered by id.

    Only matchable profiles are loaded, so `eligible` is all true: consent, activity and
    freshness are applied by the ExpertProfile queryset, the one definition of them.
    With `skill_ids` (scoring given needs), only experts holding one of those concepts are
    loaded, with only those skills: the others cannot change these needs' scores.
    `need_filters` (one need's format, work mode and languages, see `need_filters()`) pushes
    that need's hard filters into the query, so only possible candidates are read.
    """

    profiles = ExpertProfile.objects.matchable()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=profile_ids)
    expert_skills = ExpertSkill.objects.all()
    if skill_ids is not None:
        expert_skills = expert_skills.filter(skill_id__in=list(skill_ids))
        profiles = profiles.filter(pk__in=expert_skills.values("profile_id"))
    if need_filters:
        profiles = _apply_need_filters(profiles, **need_filters)
    today = timezone.localdate()
    profile_rows = profiles.order_by("pk").annotate(
        _region=Coalesce("origin_region_id", Value(-1)),
        _province=Coalesce("origin_province_id", Value(-1)),
        _mode=_case("work_mode", WORK_MODE_BITS, 3),
        _hours=Case(
            When(Q(available_until__lt=today), then=Value(0)),
            default=F("hours_per_month"),
            output_field=IntegerField(),
        ),
    )
    columns = ["pk", "_region", "_province", "_mode", "_hours"]
    if connection.vendor == "postgresql":
        # Languages and formats folded into two numbers per profile, in the same query: each
        # language's level (1..7) in 3 bits at its index, each format as one bit.
        languages_sql = "ARRAY[" + ", ".join(f"'{code}'" for code in LANGUAGE_CODES) + "]::text[]"
        formats_sql = "ARRAY[" + ", ".join(f"'{code}'" for code in FORMAT_BIT) + "]::text[]"
        # Only our own constants and model metadata go into this SQL, nothing from input.
        language_table, format_table = ExpertLanguage._meta.db_table, ExpertFormat._meta.db_table
        extra = (
            "(SELECT coalesce(sum(l.level::int8 << (3 * (array_position("  # noqa: S608
            f"{languages_sql}, l.language::text) - 1))), 0) FROM {language_table} l WHERE l.profile_id = q.c0)",
            "(SELECT coalesce(bit_or(1 << (array_position("  # noqa: S608
            f"{formats_sql}, f.format::text) - 1)), 0) FROM {format_table} f WHERE f.profile_id = q.c0)",
        )
        rows = fetch_ints(profile_rows, columns, extra)
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        ids = rows[:, 0]
        shifts = 3 * np.arange(len(LANGUAGE_CODES), dtype=np.int64)
        language_levels = ((rows[:, 5:6] >> shifts) & 7).astype(np.int8)
        format_bits = rows[:, 6].astype(np.uint16)
    else:
        rows = fetch_ints(profile_rows, columns)
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        ids = rows[:, 0]
        language_levels = format_bits = None
    partial = profile_ids is not None or skill_ids is not None

    def of_experts(queryset):
        # A national load joins on the matchable subquery (merge joins on the indexes); a
        # partial one passes the ids it found as one array.
        if partial:
            return _among(queryset, "profile_id", ids)
        return queryset.filter(profile_id__in=profiles.values("pk"))

    skills = fetch_ints(
        of_experts(expert_skills).order_by("profile_id", "skill_id"),
        ["profile_id", "skill_id", "level", "years"],
    )
    if language_levels is None:
        language_rows = fetch_ints(
            of_experts(ExpertLanguage.objects.all()).annotate(_lang=_case("language", LANGUAGE_INDEX, -1)),
            ["profile_id", "_lang", "level"],
        )
        format_rows = fetch_ints(
            of_experts(ExpertFormat.objects.all()).annotate(_bit=_case("format", FORMAT_BIT, 0)),
            ["profile_id", "_bit"],
        )
        experts = experts_from_arrays(
            ids, rows[:, 1], rows[:, 2], rows[:, 3], rows[:, 4], skills, language_rows, format_rows, n_skills
        )
    else:
        experts = experts_from_arrays(
            ids,
            rows[:, 1],
            rows[:, 2],
            rows[:, 3],
            rows[:, 4],
            skills,
            np.zeros((0, 3), np.int64),
            np.zeros((0, 2), np.int64),
            n_skills,
        )
        experts.languages = language_levels
        experts.formats = format_bits
    return experts


def need_filters(needs: engine.Needs, hierarchy: engine.Hierarchy) -> dict | None:
    """The hard filters of a single need, as arguments for `experts_load`."""
    if len(needs) != 1:
        return None
    a, b = needs.lang_ptr[0], needs.lang_ptr[1]
    credit_t = hierarchy.credit.T.tocsr()
    essential = [
        credit_t.indices[credit_t.indptr[j] : credit_t.indptr[j + 1]].tolist()
        for j in needs.skill_idx[needs.skill_essential].tolist()
        if j < credit_t.shape[0]
    ]
    return {
        "essential": essential,
        "format_bits": int(needs.format_bits[0]),
        "work_mode": int(needs.work_mode[0]),
        "languages": [
            (LANGUAGE_CODES[i], int(low))
            for i, low in zip(needs.lang_idx[a:b].tolist(), needs.lang_min[a:b].tolist(), strict=True)
        ],
    }


def _apply_need_filters(profiles, *, format_bits: int, work_mode: int, languages: list, essential: list):
    for concepts in essential:  # each essential skill held, at least partially
        profiles = profiles.filter(Exists(ExpertSkill.objects.filter(profile=OuterRef("pk"), skill_id__in=concepts)))

    formats = [code for code, bit in FORMAT_BIT.items() if format_bits & bit]
    if len(formats) < len(FORMAT_BIT):
        profiles = profiles.filter(Exists(ExpertFormat.objects.filter(profile=OuterRef("pk"), format__in=formats)))
    modes = [code for code, bits in WORK_MODE_BITS.items() if bits & work_mode]
    if len(modes) < len(WORK_MODE_BITS):
        profiles = profiles.filter(work_mode__in=modes)
    if languages:
        spoken = Q()
        for code, low in languages:
            spoken |= Q(language=code, level__gte=low)
        profiles = profiles.filter(Exists(ExpertLanguage.objects.filter(spoken, profile=OuterRef("pk"))))
    return profiles


def experts_from_arrays(ids, region, province, mode, hours, skills, languages, formats, n_skills=None):
    """Assemble engine.Experts from loaded rows (profile ids sorted ascending)."""
    n = len(ids)
    skills = skills[np.lexsort((skills[:, 1], skills[:, 0]))]  # CSR order, whatever the query returned
    skill_rows = np.searchsorted(ids, skills[:, 0])
    width = int(n_skills if n_skills is not None else (skills[:, 1].max() + 1 if len(skills) else 1))
    counts = np.bincount(skill_rows, minlength=n)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    # rows come ordered by (profile, skill): already canonical CSR order
    level_m = sparse.csr_matrix((skills[:, 2].astype(np.int8), skills[:, 1].copy(), indptr), shape=(n, width))
    years_m = sparse.csr_matrix((skills[:, 3].astype(np.float64), skills[:, 1].copy(), indptr.copy()), shape=(n, width))
    lang = np.zeros((n, len(LANGUAGE_INDEX)), np.int8)
    known = languages[:, 1] >= 0
    lang[np.searchsorted(ids, languages[known, 0]), languages[known, 1]] = languages[known, 2]
    fmt = np.zeros(n, np.uint16)
    np.bitwise_or.at(fmt, np.searchsorted(ids, formats[:, 0]), formats[:, 1].astype(np.uint16))
    return engine.Experts(
        ids=np.asarray(ids, np.int64),
        skills=level_m,
        years=years_m,
        languages=lang,
        formats=fmt,
        work_mode=np.asarray(mode, np.uint8),
        region=np.asarray(region, np.int32),
        province=np.asarray(province, np.int32),
        availability=np.minimum(np.asarray(hours, np.float64) / HOURS_FULL, 1.0),
        eligible=np.ones(n, bool),
    )


# --- needs ------------------------------------------------------------------------------


def needs_load(need_ids=None) -> engine.Needs:
    """Open needs (all, or those among `need_ids`), ordered by id, with declined pairs."""

    needs = Need.objects.open()
    if need_ids is not None:
        needs = needs.filter(pk__in=need_ids)
    rows = fetch_ints(
        needs.order_by("pk").annotate(
            _bit=_case("format", FORMAT_BIT, engine.ALL_FORMATS),
            _mode=_case("work_mode", WORK_MODE_BITS, 3),
            _province=Coalesce("province_id", Value(-1)),
        ),
        ["pk", "_bit", "_mode", "region_id", "_province"],
    )
    open_ids = needs.values("pk")
    skills = fetch_ints(
        NeedSkill.objects.filter(need_id__in=open_ids)
        .annotate(_essential=_case("essential", {True: 1}, 0))
        .order_by("need_id", "skill_id"),
        ["need_id", "skill_id", "weight", "_essential", "min_level"],
    )
    languages = fetch_ints(
        NeedLanguage.objects.filter(need_id__in=open_ids)
        .annotate(_lang=_case("language", LANGUAGE_INDEX, -1))
        .filter(_lang__gte=0)
        .order_by("need_id", "language"),
        ["need_id", "_lang", "min_level"],
    )
    declined = fetch_ints(
        Match.objects.filter(need_id__in=open_ids, status=MatchStatus.DECLINED).order_by(), ["need_id", "profile_id"]
    )
    return needs_from_arrays(rows, skills, languages, declined)


def needs_from_arrays(rows, skills, languages, declined) -> engine.Needs:
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    skills = skills[np.lexsort((skills[:, 1], skills[:, 0]))]
    languages = languages[np.lexsort((languages[:, 1], languages[:, 0]))]
    ids = rows[:, 0]
    n = len(ids)

    def pointers(owner_ids):
        ptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(np.searchsorted(ids, owner_ids), minlength=n), out=ptr[1:])
        return ptr

    return engine.Needs(
        ids=np.asarray(ids, np.int64),
        skill_ptr=pointers(skills[:, 0]),
        skill_idx=skills[:, 1].astype(np.int64),
        skill_weight=skills[:, 2].astype(np.float64),
        skill_essential=skills[:, 3].astype(bool),
        skill_min_level=skills[:, 4].astype(np.int8),
        lang_ptr=pointers(languages[:, 0]),
        lang_idx=languages[:, 1].astype(np.int64),
        lang_min=languages[:, 2].astype(np.int8),
        format_bits=rows[:, 1].astype(np.uint16),
        work_mode=rows[:, 2].astype(np.uint8),
        region=rows[:, 3].astype(np.int32),
        province=rows[:, 4].astype(np.int32),
        declined=np.sort(engine.pair_key(declined[:, 0], declined[:, 1])) if len(declined) else np.zeros(0, np.int64),
    )


@dataclass
class Inputs:
    experts: engine.Experts
    needs: engine.Needs
    hierarchy: engine.Hierarchy


def candidate_skill_ids(needs: engine.Needs, hierarchy: engine.Hierarchy) -> list[int]:
    """The concepts that earn credit for at least one of the needs' required skills."""
    required = np.unique(needs.skill_idx)
    credit_t = hierarchy.credit.T.tocsr()  # required concept → concepts that earn credit for it
    _owner, pos = engine._ragged_gather(credit_t.indptr, required[required < credit_t.shape[0]])
    return np.unique(credit_t.indices[pos]).tolist()


# --- investor ↔ opportunity matching -------------------------------------------------------


def _division(code: str) -> int:
    return int(code) if code and code.isdigit() else -1


def investment_inputs_load():
    """Open projects (eligible when their investor consents to matching now) and published
    opportunities, as the pure arrays of matching.investment: two queries.

    A project whose investor has no expert profile is not eligible: consent to matching is
    recorded on the profile, and no profile means no consent (docs/matching.md §7).
    """

    stage_index = {stage: i for i, stage in enumerate(investment.STAGES)}
    consenting = ExpertProfile.objects.matchable().filter(user_id=OuterRef("investor_id"))
    project_rows = list(
        Project.objects.exclude(status__in=[ProjectStatus.LAUNCHED, ProjectStatus.DROPPED])
        .annotate(consents=Exists(consenting))
        .order_by("pk")
        .values_list(
            "pk",
            "sector_id",
            "sector_division",
            "region_id",
            "province_id",
            "investor__expert_profile__origin_region_id",
            "investor__expert_profile__origin_province_id",
            "amount_mad",
            "stage",
            "consents",
        )
    )
    opportunity_rows = list(
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED)
        .order_by("pk")
        .values_list(
            "pk", "sector_id", "sector_division", "region_id", "province_id", "investment_min_mad", "investment_max_mad"
        )
    )

    def ids(values) -> np.ndarray:
        return np.array([-1 if v is None else v for v in values], np.int64)

    p = list(zip(*project_rows, strict=True)) or [()] * 10
    projects = investment.InvestmentProjects(
        ids=ids(p[0]),
        sector=ids(p[1]),
        division=np.array([_division(d) for d in p[2]], np.int16),
        region=ids(p[3]),
        province=ids(p[4]),
        origin_region=ids(p[5]),
        origin_province=ids(p[6]),
        amount=np.array(p[7], np.float64),
        stage=np.array([stage_index.get(s, 0) for s in p[8]], np.int8),
        eligible=np.array(p[9], bool),
    )
    o = list(zip(*opportunity_rows, strict=True)) or [()] * 7
    opportunities = investment.Opportunities(
        ids=ids(o[0]),
        sector=ids(o[1]),
        division=np.array([_division(d) for d in o[2]], np.int16),
        region=ids(o[3]),
        province=ids(o[4]),
        amount_min=np.array(o[5], np.float64),
        amount_max=np.array(o[6], np.float64),
        eligible=np.ones(len(o[0]), bool),
    )
    return projects, opportunities
