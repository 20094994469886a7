"""Engine runs: the full re-match (planned and swapped by matching.services.sharded) and the
incremental re-scoring of one need or one expert.

Inputs come from matching.loaders, the scoring from the pure matching.engine, the writing from
matching.services.rankings.
"""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.heartbeat import Heartbeat, lease_renew
from portal.outbox import outbox_enqueue

from .. import engine, loaders
from ..conf import MatchingConf, matching_conf
from ..enums import MatchRunKind, MatchRunStatus, MatchStatus
from ..models import Match, MatchRun
from .contact import _closure_notify
from .investments import _investor_changed
from .rankings import _finish, _fold_interests, _incremental_run, _replace_rankings, _rows

# A running run with no heartbeat for this long is presumed dead (its worker was killed) and
# may be claimed again. A thread beats every RUN_HEARTBEAT_SECONDS while the run works; the
# outbox lease of the run's message (30 s, renewed every 10 s) always outlives a dead run's
# heartbeat by at least 5 s, so the attempt the relay sends after a death finds the run free.
RUN_STALE_AFTER = timedelta(seconds=15)
RUN_HEARTBEAT_SECONDS = 5
MAX_RUN_ATTEMPTS = 5
RUNS_KEPT = timedelta(days=7)


# --- runs ------------------------------------------------------------------------------


def match_run_request(*, by=None) -> MatchRun:
    """Ask for a full re-match (admin action, beat): a pending run and its task, after commit."""
    with transaction.atomic():
        run = MatchRun.objects.create(kind=MatchRunKind.FULL, requested_by=by)
        outbox_enqueue(task_name="matching.full_rematch", kwargs={"run_id": run.pk})
    return run


def match_run_claim(*, run_id: int) -> bool:
    """Take a run with a conditional UPDATE: pending, or running with no sign of life (its
    worker died; it restarts from the beginning, progress 0). False if another worker holds
    it, it is finished, or it failed too often."""
    now = timezone.now()
    claimed = (
        MatchRun.objects.filter(pk=run_id, attempts__lt=MAX_RUN_ATTEMPTS)
        .filter(
            Q(status=MatchRunStatus.PENDING) | Q(status=MatchRunStatus.RUNNING, heartbeat_at__lt=now - RUN_STALE_AFTER)
        )
        .update(status=MatchRunStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _run_claim_when_free(run_id: int) -> bool:
    """Claim the run, waiting up to RUN_STALE_AFTER for a holder that shows no sign of life
    to be presumed dead; False at once if the run is finished."""
    deadline = time.monotonic() + RUN_STALE_AFTER.total_seconds() + RUN_HEARTBEAT_SECONDS
    while not match_run_claim(run_id=run_id):
        held = MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.RUNNING).exists()
        if not held or time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def _progress(mine, done: int, total: int) -> None:
    progress = int(100 * done / total) if total else 100
    mine.update(heartbeat_at=timezone.now(), progress=min(progress, 99))


def full_rematch(
    *, run_id: int | None = None, by=None, timings: dict | None = None, wait: bool = False
) -> MatchRun | None:
    """Re-score every open need against every matchable expert and swap the results in.

    Without `run_id` a run is created here. Returns None when the run is not ours to do
    (held by a live worker, or already done); with `wait` (the task, whose outbox attempt
    starts only once the previous one's lease expired), a holder that went silent is waited
    for until presumed dead, then the run restarts. `timings`, if given, is filled with the
    seconds spent reading, scoring and writing (for bench/matching.py).
    """
    timings = {} if timings is None else timings
    if run_id is None:
        run_id = MatchRun.objects.create(kind=MatchRunKind.FULL, requested_by=by).pk
    if not (_run_claim_when_free(run_id) if wait else match_run_claim(run_id=run_id)):
        return None
    run = MatchRun.objects.get(pk=run_id)
    # Our attempt: only it may swap its results in or record its failure (a holder that was
    # only slow, not dead, finds the run taken over and stops there).
    mine = MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.RUNNING, attempts=run.attempts)
    beat = lambda: lease_renew(mine, heartbeat_at=timezone.now())  # noqa: E731
    with Heartbeat(beat, every=RUN_HEARTBEAT_SECONDS, name=f"match-run-{run_id}"):
        return _full_rematch_claimed(run, mine, timings)


def _full_rematch_claimed(run: MatchRun, mine, timings: dict) -> MatchRun | None:
    started = time.perf_counter()
    try:
        conf = matching_conf()
        hierarchy = loaders.hierarchy_load(conf)
        inputs = loaders.Inputs(loaders.experts_load(n_skills=hierarchy.n_skills), loaders.needs_load(), hierarchy)
        timings["read_s"] = time.perf_counter() - started
        topk = engine.match_needs(
            inputs.experts,
            inputs.needs,
            hierarchy,
            conf,
            on_progress=lambda done, total: _progress(mine, int(done * 0.8), total),
        )
        rows = _rows(topk, inputs, conf)
        timings["scoring_s"] = time.perf_counter() - started - timings["read_s"]
        with transaction.atomic():
            # Lock the run row: a second worker that re-claimed it cannot swap concurrently,
            # and we swap only if the run is still ours.
            if not mine.select_for_update().exists():
                return None
            written = _replace_rankings(run=run, need_ids=None, rows=rows)
            _fold_interests(run=run)
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRunStatus.DONE,
                finished_at=timezone.now(),
                progress=100,
                experts_count=len(inputs.experts),
                needs_count=len(inputs.needs),
                matches_count=written,
                duration_ms=int((time.perf_counter() - started) * 1000),
            )
        timings["write_s"] = time.perf_counter() - started - timings["read_s"] - timings["scoring_s"]
    except Exception as exc:
        # Claimable again by a retry (Celery's for transient errors, the outbox relay's for the
        # rest) until the attempts run out.
        status = MatchRunStatus.FAILED if run.attempts >= MAX_RUN_ATTEMPTS else MatchRunStatus.PENDING
        mine.update(status=status, error=repr(exc)[:2000])
        raise
    # Incremental runs are a log of recent activity, not an archive.
    MatchRun.objects.exclude(kind=MatchRunKind.FULL).filter(created_at__lt=timezone.now() - RUNS_KEPT).delete()
    run.refresh_from_db()
    return run


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
