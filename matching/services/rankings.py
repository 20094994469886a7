"""Rankings: turning the engine's top K into rows with explanations, and writing them.

Results are replaced need by need inside the caller's transaction, so a reader sees the old
ranking or the new one, never half of each. Only SUGGESTED rows are deleted by a run; rows in
the workflow (shortlisted, invited, accepted, declined) keep their status and only get a fresh
score and rank.
"""

from __future__ import annotations

import csv
import io
import json
import time

import numpy as np
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from diaspora.models import ExpertProfile
from portal.enums import Language
from regions.models import Need, NeedInterest

from .. import engine, loaders
from ..conf import MatchingConf
from ..enums import MatchRunStatus, MatchStatus
from ..models import Match, MatchRun

WRITE_BATCH = 2000
COPY_ABOVE = 200  # rankings larger than this are written through COPY (PostgreSQL)


# --- explanations ----------------------------------------------------------------------


def _explanations(topk: engine.TopK, inputs: loaders.Inputs, conf: MatchingConf) -> list[dict]:
    """One JSON-ready explanation per suggestion (ids and numbers only; labels at display)."""
    experts, needs = inputs.experts, inputs.needs
    detail = engine.explain_skills(topk, experts, needs, inputs.hierarchy, conf)
    per_pair: list[list] = [[] for _ in range(len(topk))]
    relation_names = engine.RELATION_NAMES
    for p, req, essential, credit, source, relation, level, years in zip(
        detail.pair.tolist(),
        detail.required.tolist(),
        detail.essential.tolist(),
        np.round(detail.credit, 4).tolist(),
        detail.source.tolist(),
        detail.relation.tolist(),
        detail.level.tolist(),
        detail.years.tolist(),
        strict=True,
    ):
        item = {"skill": req, "essential": essential, "credit": credit}
        if credit > 0:
            item |= {"via": source, "relation": relation_names[relation], "level": level, "years": int(years)}
        per_pair[p].append(item)
    codes = Language.values
    out = []
    parts = np.round(topk.parts, 4).tolist()
    for i, (n, e, score) in enumerate(
        zip(topk.need_row.tolist(), topk.expert_row.tolist(), topk.score.tolist(), strict=True)
    ):
        a, b = needs.lang_ptr[n], needs.lang_ptr[n + 1]
        languages = [
            {"language": codes[lang], "min": int(low), "level": int(experts.languages[e, lang])}
            for lang, low in zip(needs.lang_idx[a:b].tolist(), needs.lang_min[a:b].tolist(), strict=True)
        ]
        region_part = parts[i][4]
        tie = "province" if region_part == conf.province_tie and region_part > 0 else "region" if region_part else ""
        out.append(
            {
                "score": score,
                "parts": dict(zip(engine.PARTS, parts[i], strict=True)),
                "skills": per_pair[i],
                "languages": languages,
                "tie": tie,
            }
        )
    return out


# --- writing rankings ------------------------------------------------------------------


def _replace_rankings(*, run: MatchRun, need_ids, rows: list[tuple]) -> int:
    """Make `rows` [(need_id, profile_id, score, rank, parts)] the ranking of `need_ids`
    (None: of every need).

    Call inside a transaction: upsert on (need, profile), then drop what this run did not
    write — suggested rows are deleted, workflow rows only lose their rank.
    """
    if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
        _upsert_copy(run, need_ids, rows)
        return len(rows)
    else:
        objs = [Match(need_id=n, profile_id=p, score=s, rank=r, parts=parts, run=run) for n, p, s, r, parts in rows]
        Match.objects.bulk_create(
            objs,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=["need", "profile"],
            update_fields=["score", "rank", "parts", "run", "updated_at"],
        )
    scope = Match.objects.filter(need_id__in=need_ids) if need_ids is not None else Match.objects.all()
    stale = scope.exclude(run=run)
    stale.filter(status=MatchStatus.SUGGESTED, interested=False).delete()
    stale.filter(rank__isnull=False).update(rank=None)
    return len(rows)


def _upsert_copy(run: MatchRun, need_ids, rows: list[tuple]) -> None:
    """The same replacement for a whole national ranking: COPY into a temporary table, then
    `_merge_incoming`. bulk_create would spend seconds on 40,000 model instances."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for need_id, profile_id, score, rank, parts in rows:
        writer.writerow((need_id, profile_id, repr(score), rank, json.dumps(parts, separators=(",", ":"))))
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE matching_incoming (need_id bigint, profile_id bigint, score double precision,"
            " rank integer, parts jsonb) ON COMMIT DROP"
        )
        cursor.copy_expert("COPY matching_incoming FROM STDIN (FORMAT csv)", buffer)
    _merge_incoming(run, need_ids)


def _merge_incoming(run: MatchRun, need_ids) -> None:
    """Make the temporary table matching_incoming the ranking of `need_ids` (None: of every
    need): one INSERT … ON CONFLICT that rewrites only the rows whose score, rank or explanation
    changed (a nightly run over stable data writes little), then the rows absent from the new
    ranking are dropped or unranked. Call inside a transaction."""
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (need_id, profile_id, score, rank, parts, run_id, status, interested,"  # noqa: S608
            " invitation_message, created_at, updated_at)"
            " SELECT need_id, profile_id, score, rank, parts, %s, %s, false, '', now(), now() FROM matching_incoming"
            " ON CONFLICT (need_id, profile_id) DO UPDATE SET score = EXCLUDED.score, rank = EXCLUDED.rank,"
            " parts = EXCLUDED.parts, run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at"
            f" WHERE ({table}.score, {table}.rank, {table}.parts)"
            " IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.rank, EXCLUDED.parts)",
            [run.pk, MatchStatus.SUGGESTED],
        )
        scope = "" if need_ids is None else " AND m.need_id = ANY(%s::bigint[])"
        params = [] if need_ids is None else [list(need_ids)]
        absent = (
            " AND NOT EXISTS (SELECT 1 FROM matching_incoming i"
            " WHERE i.need_id = m.need_id AND i.profile_id = m.profile_id)"
        )
        cursor.execute(
            f"DELETE FROM {table} m WHERE m.status = %s AND NOT m.interested" + scope + absent,  # noqa: S608
            [MatchStatus.SUGGESTED, *params],
        )
        cursor.execute(
            f"UPDATE {table} m SET rank = NULL WHERE m.rank IS NOT NULL" + scope + absent,  # noqa: S608
            params,
        )
        cursor.execute("DROP TABLE matching_incoming")


def _rows(topk: engine.TopK, inputs: loaders.Inputs, conf: MatchingConf) -> list[tuple]:
    explanations = _explanations(topk, inputs, conf)
    return list(
        zip(
            inputs.needs.ids[topk.need_row].tolist(),
            inputs.experts.ids[topk.expert_row].tolist(),
            topk.score.tolist(),
            topk.rank.tolist(),
            explanations,
            strict=True,
        )
    )


def _fold_interests(*, run: MatchRun, need_ids=None) -> int:
    """Experts who said "I can help" (regions.NeedInterest) join the candidate list, flagged;
    those outside the top K get a row without a rank."""

    interests = NeedInterest.objects.filter(need__in=Need.objects.open())
    if need_ids is not None:
        interests = interests.filter(need_id__in=need_ids)
    pairs = list(
        interests.filter(user__expert_profile__in=ExpertProfile.objects.matchable()).values_list(
            "need_id", "user__expert_profile"
        )
    )
    # A flag whose interest was taken back ("I can help" undone) is lifted.
    flagged = Match.objects.filter(interested=True)
    if need_ids is not None:
        flagged = flagged.filter(need_id__in=need_ids)
    wanted = Q()
    for need_id, profile_id in pairs:
        wanted |= Q(need_id=need_id, profile_id=profile_id)
    (flagged.exclude(wanted) if pairs else flagged).update(interested=False)
    if not pairs:
        return 0
    Match.objects.filter(wanted).exclude(interested=True).update(interested=True)
    present = set(Match.objects.filter(wanted).values_list("need_id", "profile_id"))
    Match.objects.bulk_create(
        [
            Match(need_id=n, profile_id=p, score=0.0, rank=None, parts={}, run=run, interested=True)
            for n, p in pairs
            if (n, p) not in present
        ],
        ignore_conflicts=True,
    )
    return len(pairs)


# --- run records ---------------------------------------------------------------------


def _incremental_run(kind: str) -> MatchRun:
    now = timezone.now()
    return MatchRun.objects.create(
        kind=kind, status=MatchRunStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=1
    )


def _finish(run: MatchRun, started: float, *, experts: int, needs: int, matches: int) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRunStatus.DONE,
        finished_at=timezone.now(),
        progress=100,
        experts_count=experts,
        needs_count=needs,
        matches_count=matches,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
