"""Incremental runs: re-scoring one need (or a few) or one expert between full re-matches.

Inputs come from matching.loaders, the scoring from the pure matching.engine, the writing from
matching.services.rankings.
"""

from __future__ import annotations

import time

import numpy as np
from django.db import transaction

from .. import engine, loaders
from ..conf import MatchingConf, matching_conf
from ..enums import MatchRunKind, MatchStatus
from ..models import Match
from .contact import _closure_notify
from .investments import _investor_changed
from .rankings import _finish, _fold_interests, _incremental_run, _replace_rankings, _rows


def _score_needs(need_ids: list[int], conf: MatchingConf) -> tuple[loaders.Inputs, engine.TopK]:
    hierarchy = loaders.hierarchy_load(conf)
    needs = loaders.needs_load(need_ids)
    concepts = loaders.candidate_skill_ids(needs, hierarchy)
    experts = loaders.experts_load(
        n_skills=hierarchy.n_skills, skill_ids=concepts, need_filters=loaders.need_filters(needs, hierarchy)
    )
    inputs = loaders.Inputs(experts, needs, hierarchy)
    return inputs, engine.match_needs(experts, needs, hierarchy, conf)


def need_rematch(*, need_id: int) -> int:
    """Re-score one need against all experts (publishing, editing, closing it). Returns the
    number of suggestions. A need that is no longer open loses its suggestions."""
    return needs_rematch(need_ids=[need_id])


def needs_rematch(*, need_ids: list[int]) -> int:
    started = time.perf_counter()
    conf = matching_conf()
    run = _incremental_run(MatchRunKind.NEED)
    inputs, topk = _score_needs(list(need_ids), conf)
    rows = _rows(topk, inputs, conf)
    with transaction.atomic():
        written = _replace_rankings(run=run, need_ids=list(need_ids), rows=rows)
        _fold_interests(run=run, need_ids=list(need_ids))
        _closure_notify(need_ids)
    _finish(run, started, experts=len(inputs.experts), needs=len(inputs.needs), matches=written)
    return written


def expert_rematch(*, profile_id: int) -> int:
    """Re-score one expert against every open need and fold the result into the stored top K.

    An expert who is no longer matchable (consent withdrawn, inactive, stale) loses their
    suggestions; a need whose full list loses someone is re-scored to fill the gap.
    Returns the number of needs whose ranking changed.
    """
    started = time.perf_counter()
    conf = matching_conf()
    run = _incremental_run(MatchRunKind.EXPERT)
    hierarchy = loaders.hierarchy_load(conf)
    needs = loaders.needs_load()
    experts = loaders.experts_load(profile_ids=[profile_id], n_skills=hierarchy.n_skills)
    new_score: dict[int, float] = {}
    if len(experts):
        need_rows, scores, _parts = engine.match_expert(experts, 0, needs, hierarchy, conf)
        new_score = dict(zip(needs.ids[need_rows].tolist(), scores.tolist(), strict=True))
    ranked_in = set(Match.objects.filter(profile_id=profile_id, rank__isnull=False).values_list("need_id", flat=True))
    affected = sorted(set(new_score) | ranked_in)
    current: dict[int, list] = {n: [] for n in affected}
    for need_id, pid, score in (
        Match.objects.filter(need_id__in=affected, rank__isnull=False)
        .order_by("need_id", "rank")
        .values_list("need_id", "profile_id", "score")
    ):
        current[need_id].append((pid, score))
    open_ids = set(needs.ids.tolist())
    refill, lists = [], {}
    for need_id in affected:
        old_ids = np.array([p for p, _ in current[need_id]], np.int64)
        old_scores = np.array([s for _, s in current[need_id]], np.float64)
        ids, scores, complete = engine.merge_into_topk(
            need_id, old_ids, old_scores, profile_id, new_score.get(need_id), conf.top_k
        )
        if need_id not in open_ids or not complete:
            refill.append(need_id)
        elif profile_id in old_ids.tolist() or profile_id in ids.tolist():
            lists[need_id] = ids.tolist()  # the list changed: rewrite it
    own: dict[int, tuple] = {}
    joined = [n for n, ids in lists.items() if profile_id in ids]
    if joined:
        sub_needs = loaders.needs_load(joined)
        inputs = loaders.Inputs(experts, sub_needs, hierarchy)
        own = {row[0]: row for row in _rows(engine.match_needs(experts, sub_needs, hierarchy, conf), inputs, conf)}
    stored = {
        (m.need_id, m.profile_id): m
        for m in Match.objects.filter(need_id__in=list(lists)).only("need_id", "profile_id", "score", "parts")
    }
    rows = []
    for need_id, ids in lists.items():
        for rank, pid in enumerate(ids, start=1):
            if pid == profile_id:
                _n, _p, score, _r, parts = own[need_id]
            else:
                score, parts = stored[(need_id, pid)].score, stored[(need_id, pid)].parts
            rows.append((need_id, pid, score, rank, parts))
    with transaction.atomic():
        if not len(experts):
            Match.objects.filter(profile_id=profile_id, status=MatchStatus.SUGGESTED).delete()
            Match.objects.filter(profile_id=profile_id).update(rank=None)
        if lists:
            _replace_rankings(run=run, need_ids=list(lists), rows=rows)
    if refill:
        needs_rematch(need_ids=refill)
    _finish(run, started, experts=len(experts), needs=len(affected), matches=len(rows))
    _investor_changed(profile_id)
    return len(lists) + len(refill)
