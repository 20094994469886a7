"""Engine inputs from the database, in a handful of queries.

On PostgreSQL the large reads go through `COPY (SELECT …) TO STDOUT (FORMAT binary)` with
every column cast to bigint: fixed-width records that NumPy reads in place (100,000 experts'
780,000 skills in well under a second). Elsewhere (the SQLite demo) a plain cursor does it.
Skill rows are skill ids; region and province are their ids (-1 for none).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from scipy import sparse

from portal.enums import EngagementFormat, Language, WorkMode

from . import engine
from .conf import MatchingConf

LANGUAGE_INDEX = {code: i for i, code in enumerate(Language.values)}
FORMAT_BIT = {code: 1 << i for i, code in enumerate(EngagementFormat.values)}
WORK_MODE_BITS = {WorkMode.REMOTE: engine.REMOTE, WorkMode.ON_SITE: engine.ON_SITE, WorkMode.BOTH: 3}
HOURS_FULL = 20  # hours a month that count as fully available


def _case(field: str, mapping: dict, default: int = 0) -> Case:
    return Case(
        *(When(**{field: key}, then=Value(value)) for key, value in mapping.items()),
        default=Value(default),
        output_field=IntegerField(),
    )


def fetch_ints(queryset, columns: list[str]) -> np.ndarray:
    """The rows of `queryset.values_list(*columns)` as an (n × len(columns)) int64 array."""
    qs = queryset.values_list(*columns)
    sql, params = qs.query.sql_with_params()
    width = len(columns)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return np.array(rows, dtype=np.int64).reshape(len(rows), width)
    casted = ", ".join(f"(q.c{i})::bigint" for i in range(width))
    names = ", ".join(f"c{i}" for i in range(width))
    with connection.cursor() as cursor:
        inner = cursor.mogrify(sql, params).decode()
        buffer = io.BytesIO()
        # `inner` is Django's compiled query with its parameters bound by the driver itself.
        copy = f"COPY (SELECT {casted} FROM ({inner}) AS q({names})) TO STDOUT (FORMAT binary)"  # noqa: S608
        cursor.copy_expert(copy, buffer)
    raw = buffer.getbuffer()
    # 11-byte signature, int32 flags, int32 extension length, then records, then int16 -1.
    body = raw[19 : len(raw) - 2]
    record = np.dtype([("n", ">i2")] + [(f"f{i}", [("len", ">i4"), ("v", ">i8")]) for i in range(width)])
    records = np.frombuffer(body, dtype=record)
    out = np.empty((len(records), width), np.int64)
    for i in range(width):
        if len(records) and (records[f"f{i}"]["len"] != 8).any():
            raise ValueError("NULL in a column loaded by COPY; coalesce it in the query")
        out[:, i] = records[f"f{i}"]["v"]
    return out


# --- taxonomy ---------------------------------------------------------------------------

_hierarchy_cache: dict = {}


def hierarchy_load(conf: MatchingConf) -> engine.Hierarchy:
    """The credit matrix, rebuilt only when the taxonomy changed (cached per process)."""
    from taxonomy.models import Skill, SkillRelation

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


def experts_load(profile_ids=None, n_skills: int | None = None) -> engine.Experts:
    """Matchable experts (all, or those among `profile_ids`), ordered by id.

    Only matchable profiles are loaded, so `eligible` is all true: consent, activity and
    freshness are applied by the ExpertProfile queryset, the one definition of them.
    """
    from diaspora.models import ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill

    profiles = ExpertProfile.objects.matchable()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=profile_ids)
    today = timezone.localdate()
    rows = fetch_ints(
        profiles.order_by("pk").annotate(
            _region=Coalesce("origin_region_id", Value(-1)),
            _province=Coalesce("origin_province_id", Value(-1)),
            _mode=_case("work_mode", WORK_MODE_BITS, 3),
            _hours=Case(
                When(Q(available_until__lt=today), then=Value(0)),
                default=F("hours_per_month"),
                output_field=IntegerField(),
            ),
        ),
        ["pk", "_region", "_province", "_mode", "_hours"],
    )
    ids = rows[:, 0]
    matchable_ids = profiles.values("pk")
    skills = fetch_ints(
        ExpertSkill.objects.filter(profile_id__in=matchable_ids).order_by("profile_id", "skill_id"),
        ["profile_id", "skill_id", "level", "years"],
    )
    languages = fetch_ints(
        ExpertLanguage.objects.filter(profile_id__in=matchable_ids).annotate(
            _lang=_case("language", LANGUAGE_INDEX, -1)
        ),
        ["profile_id", "_lang", "level"],
    )
    formats = fetch_ints(
        ExpertFormat.objects.filter(profile_id__in=matchable_ids).annotate(_bit=_case("format", FORMAT_BIT, 0)),
        ["profile_id", "_bit"],
    )
    return experts_from_arrays(
        ids, rows[:, 1], rows[:, 2], rows[:, 3], rows[:, 4], skills, languages, formats, n_skills
    )


def experts_from_arrays(ids, region, province, mode, hours, skills, languages, formats, n_skills=None):
    """Assemble engine.Experts from loaded rows (profile ids sorted ascending)."""
    n = len(ids)
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
    from regions.models import Need, NeedLanguage, NeedSkill

    from .enums import MatchStatus
    from .models import Match

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
        Match.objects.filter(need_id__in=open_ids, status=MatchStatus.DECLINED), ["need_id", "profile_id"]
    )
    return needs_from_arrays(rows, skills, languages, declined)


def needs_from_arrays(rows, skills, languages, declined) -> engine.Needs:
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


def candidate_profile_ids(needs: engine.Needs, hierarchy: engine.Hierarchy):
    """Queryset of profile ids holding a concept that gives credit for one of the needs' skills."""
    from diaspora.models import ExpertSkill

    required = np.unique(needs.skill_idx)
    credit_t = hierarchy.credit.T.tocsr()  # required concept → concepts that earn credit for it
    _owner, pos = engine._ragged_gather(credit_t.indptr, required[required < credit_t.shape[0]])
    concepts = np.unique(credit_t.indices[pos]).tolist()
    return ExpertSkill.objects.filter(skill_id__in=concepts).values("profile_id")
