"""The full re-match as a workflow over any number of Celery workers (docs/decisions/0020).

1. The coordinator (task matching.full_rematch) claims the run, plans shards — slices of the
   open needs balanced by their expected candidate counts, not by their number — and queues
   one task per shard through the outbox, in the transaction that writes the plan.
2. Each shard task (matching.full_rematch_shard), on whichever worker takes it, scores its
   needs against the national expert matrix (built once per run in each worker process) and
   stages its rows in StagedMatch, marking its shard done in the same transaction.
3. The shard that finds every shard of the attempt done swaps ALL staged rows into Match in
   ONE transaction, under the run row's lock: a reader sees the old ranking or the new one.

A shard whose task fails is retried by Celery on any worker; one whose worker dies is run again
after its outbox lease expires (the relay publishes it again). Staging survives both: it is a
PostgreSQL table, written in the transaction that marks the shard done.

In-process (`full_rematch`, the demo, unit tests) runs the same three steps with the shards one
after the other in this process.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import logging
import math
import socket
import time

from django.db import connection, transaction
from django.db.models import Count, Subquery
from django.utils import timezone

from diaspora.models import ExpertProfile, ExpertSkill
from portal.heartbeat import Heartbeat, lease_renew
from portal.outbox import outbox_enqueue
from regions.models import Need, NeedSkill

from .. import engine, loaders
from ..conf import matching_conf
from ..enums import MatchRunKind, MatchRunStatus
from ..models import MatchRun, MatchShard, StagedMatch
from . import rankings
from .rankings import _fold_interests, _merge_incoming, _replace_rankings, _rows
from .run_lease import MAX_RUN_ATTEMPTS, RUN_HEARTBEAT_SECONDS, RUNS_KEPT, claim_attempt

logger = logging.getLogger(__name__)

SHARD_TASK = "matching.full_rematch_shard"
# The shard size, in expected candidates (experts holding one of a need's skills, summed over
# its skills, plus NEED_COST for the work every need costs whatever its candidates). 100,000
# experts × 2,000 needs (≈ 44 M) make 8 shards: 4 per worker with 2 workers, enough to even out
# uneven shards, few enough that per-shard costs (reading its needs, a COPY) stay small.
SHARD_COST = 6_000_000
NEED_COST = 500
MAX_SHARDS = 64
# Executions of one shard (failures and deaths) before the run is given up as failed.
MAX_SHARD_DELIVERIES = 5

# The national expert matrix of the run this worker process is working on: built by its first
# shard, reused by the next ones of the same attempt, dropped when the run is swapped.
_national: dict = {}


# --- planning --------------------------------------------------------------------------------


def need_costs(need_ids: list[int]) -> dict[int, int]:
    """Expected candidates of each open need of `need_ids`: for each of its skills, how many
    experts hold it. (The needs are read through a subquery: 2,000 ids as parameters cost
    more to bind than the query takes.)"""
    wanted = set(need_ids)
    pairs = [
        (n, s)
        for n, s in NeedSkill.objects.filter(need__in=Need.objects.open()).values_list("need_id", "skill_id")
        if n in wanted
    ]
    holders = dict(
        ExpertSkill.objects.filter(skill_id__in={s for _, s in pairs})
        .values("skill_id")
        .annotate(n=Count("pk"))
        .values_list("skill_id", "n")
    )
    costs = dict.fromkeys(need_ids, NEED_COST)
    for need_id, skill_id in pairs:
        costs[need_id] += holders.get(skill_id, 0)
    return costs


def plan_shards(costs: dict[int, int], shards: int | None = None) -> list[tuple[list[int], int]]:
    """Split needs into `shards` slices (default: by SHARD_COST) of near-equal total cost:
    the costliest need goes to the lightest slice, and so on (longest processing time first).
    Returns [(need ids ascending, cost)], costliest slice first, never empty of slices."""
    total = sum(costs.values())
    n = shards or math.ceil(total / SHARD_COST)
    n = max(1, min(n, MAX_SHARDS, len(costs) or 1))
    heap = [(0, i) for i in range(n)]
    slices: list[list[int]] = [[] for _ in range(n)]
    loads = [0] * n
    for need_id, cost in sorted(costs.items(), key=lambda item: (-item[1], item[0])):
        load, i = heapq.heappop(heap)
        slices[i].append(need_id)
        loads[i] = load + cost
        heapq.heappush(heap, (loads[i], i))
    out = [(sorted(ids), loads[i]) for i, ids in enumerate(slices)]
    return sorted(out, key=lambda item: -item[1])


def _plan(run: MatchRun, *, shards: int | None, publish: bool) -> list[MatchShard]:
    """Write the plan of the run's current attempt (dropping an earlier attempt's shards and
    their staged rows) and, with `publish`, queue one task per shard after commit."""
    need_ids = list(Need.objects.open().order_by("pk").values_list("pk", flat=True))
    planned = plan_shards(need_costs(need_ids), shards)
    with transaction.atomic():
        MatchShard.objects.filter(run=run).exclude(attempt=run.attempts).delete()
        objs = MatchShard.objects.bulk_create(
            [
                MatchShard(run=run, attempt=run.attempts, index=i, need_ids=ids, expected_candidates=cost)
                for i, (ids, cost) in enumerate(planned)
            ]
        )
        MatchRun.objects.filter(pk=run.pk).update(shards_total=len(objs), shards_done=0)
        if publish:
            for shard in objs:
                outbox_enqueue(
                    task_name=SHARD_TASK, kwargs={"run_id": run.pk, "attempt": run.attempts, "index": shard.index}
                )
    return objs


# --- a shard -----------------------------------------------------------------------------------


def _attempt(run_id: int, attempt: int):
    return MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.RUNNING, attempts=attempt)


def national_inputs(key, conf) -> tuple[engine.Hierarchy, engine.Experts, object]:
    """The hierarchy, every matchable expert and their matrix (transposed, as the engine wants
    it, handed over as its transpose: `match_needs` turns it back without a copy), kept for
    the shards of the same run `key` that this process scores next."""
    if _national.get("key") != key:
        _national.clear()  # the previous run's matrices go before the new ones are built
        hierarchy = loaders.hierarchy_load(conf)
        experts = loaders.experts_load(n_skills=hierarchy.n_skills)
        xt = engine.expert_matrix_t(experts, hierarchy, conf)
        _national.update(key=key, hierarchy=hierarchy, experts=experts, xmatrix=xt.T)
    return _national["hierarchy"], _national["experts"], _national["xmatrix"]


def national_drop() -> None:
    """Free this process's copy of the national matrix (after a run, or to measure a cold one)."""
    _national.clear()


def shard_run(
    *, run_id: int, attempt: int, index: int, hostname: str = "", beat: bool = True, timings: dict | None = None
) -> bool:
    """Score one shard and stage its rows; then, if it was the last one, swap the run in.

    Returns True if this call performed the swap. A shard of an attempt that is no longer the
    run's (it restarted, was swapped, or failed) is dropped; a shard already done only checks
    whether the swap is still to do (its task died between the two).
    """
    mine = _attempt(run_id, attempt)
    shard = MatchShard.objects.filter(run_id=run_id, attempt=attempt, index=index).first()
    if shard is None or not mine.exists():
        return False
    if shard.done_at is None:
        MatchShard.objects.filter(pk=shard.pk).update(deliveries=shard.deliveries + 1)
        shard.deliveries += 1
        renew = lambda: lease_renew(mine, heartbeat_at=timezone.now())  # noqa: E731
        try:
            if beat:
                with Heartbeat(renew, every=RUN_HEARTBEAT_SECONDS, name=f"match-shard-{run_id}.{index}"):
                    _score_and_stage(shard, mine, hostname or socket.gethostname(), timings)
            else:
                _score_and_stage(shard, mine, hostname or socket.gethostname(), timings)
        except Exception as exc:
            if shard.deliveries >= MAX_SHARD_DELIVERIES:
                mine.update(status=MatchRunStatus.FAILED, error=f"shard {index}: {exc!r}"[:2000])
                national_drop()
            raise
    return swap_when_complete(run_id=run_id, attempt=attempt, timings=timings)


def _score_and_stage(shard: MatchShard, mine, hostname: str, timings: dict | None) -> None:
    started = time.perf_counter()
    conf = matching_conf()
    hierarchy, experts, xmatrix = national_inputs((shard.run_id, shard.attempt), conf)
    loaded = time.perf_counter()
    done_before = MatchShard.objects.filter(run_id=shard.run_id, attempt=shard.attempt, done_at__isnull=False).count()
    total = max(MatchRun.objects.filter(pk=shard.run_id).values_list("shards_total", flat=True).get(), 1)

    def report(done: int, of: int) -> None:
        # This shard's share of the run, counted as 80 % done once scored (staging remains).
        progress = int(100 * (done_before + 0.8 * done / max(of, 1)) / total)
        mine.filter(progress__lt=progress).update(heartbeat_at=timezone.now(), progress=min(progress, 99))

    needs = loaders.needs_load(shard.need_ids)
    if len(needs):
        topk = engine.match_needs(experts, needs, hierarchy, conf, xmatrix=xmatrix, on_progress=report)
        rows = _rows(topk, loaders.Inputs(experts, needs, hierarchy), conf)
    else:
        rows = []
    scored = time.perf_counter()
    with transaction.atomic():
        # A concurrent delivery of the same shard (a copy that arrived while this one ran) or a
        # new plan (the run restarted) wins or loses here, whole: rows and "done" go together.
        if not MatchShard.objects.select_for_update().filter(pk=shard.pk, done_at__isnull=True).exists():
            return
        _stage(shard, rows)
        MatchShard.objects.filter(pk=shard.pk).update(
            done_at=timezone.now(),
            hostname=hostname[:200],
            rows_count=len(rows),
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
    done = MatchShard.objects.filter(run_id=shard.run_id, attempt=shard.attempt, done_at__isnull=False)
    mine.update(shards_done=Subquery(done.values("run_id").annotate(n=Count("pk")).values("n")))
    if timings is not None:
        timings["read_s"] = timings.get("read_s", 0.0) + loaded - started
        timings["scoring_s"] = timings.get("scoring_s", 0.0) + scored - loaded
        timings["stage_s"] = timings.get("stage_s", 0.0) + time.perf_counter() - scored


def _stage(shard: MatchShard, rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        StagedMatch.objects.bulk_create(
            [
                StagedMatch(shard=shard, need_id=n, profile_id=p, score=s, rank=r, parts=json.dumps(x))
                for n, p, s, r, x in rows
            ],
            batch_size=2000,
        )
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for need_id, profile_id, score, rank, parts in rows:
        writer.writerow((shard.pk, need_id, profile_id, repr(score), rank, json.dumps(parts, separators=(",", ":"))))
    # parts is stored as JSON text: parsed once, by the swap, not twice
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {StagedMatch._meta.db_table} (shard_id, need_id, profile_id, score, rank, parts)"
            " FROM STDIN (FORMAT csv)",
            buffer,
        )


# --- the swap (the chord's callback) ------------------------------------------------------------


def swap_when_complete(*, run_id: int, attempt: int, timings: dict | None = None) -> bool:
    """Swap the run in if every shard of the attempt is done and nobody did it yet; True if
    this call did. Under the run row's lock: two shards finishing together swap once."""
    started = time.perf_counter()
    shards = MatchShard.objects.filter(run_id=run_id, attempt=attempt)
    if shards.filter(done_at__isnull=True).exists():
        return False
    with transaction.atomic():
        run = _attempt(run_id, attempt).select_for_update().first()
        if run is None or shards.filter(done_at__isnull=True).exists():
            return False
        written = _swap(run, attempt)
        _fold_interests(run=run)
        finished = timezone.now()
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRunStatus.DONE,
            finished_at=finished,
            progress=100,
            shards_done=run.shards_total,
            experts_count=ExpertProfile.objects.matchable().count(),
            needs_count=sum(len(ids) for ids in shards.values_list("need_ids", flat=True)),
            matches_count=written,
            duration_ms=int((finished - run.started_at).total_seconds() * 1000),
        )
    logger.info("matching: run %s (attempt %s) swapped in: %s suggestions", run_id, attempt, written)
    # Staged rows served their purpose; the shards stay as the run's record (who did what).
    StagedMatch.objects.filter(shard__run_id=run_id).delete()
    national_drop()
    # Incremental runs are a log of recent activity, not an archive.
    MatchRun.objects.exclude(kind=MatchRunKind.FULL).filter(created_at__lt=timezone.now() - RUNS_KEPT).delete()
    if timings is not None:
        timings["swap_s"] = time.perf_counter() - started
    return True


def _swap(run: MatchRun, attempt: int) -> int:
    """Make the staged rows of the attempt the national ranking; the rows' count. Experts erased
    and needs deleted since their shard was scored are left out."""
    staged = StagedMatch.objects.filter(shard__run_id=run.pk, shard__attempt=attempt)
    count = sum(MatchShard.objects.filter(run=run, attempt=attempt).values_list("rows_count", flat=True))
    # The same two write paths as an in-process ranking (rankings._replace_rankings): a small one
    # through the ORM, a national one merged in SQL straight from the staging table.
    if connection.vendor != "postgresql" or count <= rankings.COPY_ABOVE:
        profiles = set(ExpertProfile.objects.values_list("pk", flat=True))
        needs = set(Need.objects.values_list("pk", flat=True))
        rows = [
            (n, p, score, rank, json.loads(parts))
            for n, p, score, rank, parts in staged.order_by("need_id", "rank").values_list(
                "need_id", "profile_id", "score", "rank", "parts"
            )
            if n in needs and p in profiles
        ]
        return _replace_rankings(run=run, need_ids=None, rows=rows)
    with connection.cursor() as cursor:
        # Only model metadata goes into this SQL; the values are parameters.
        cursor.execute(
            "CREATE TEMPORARY TABLE matching_incoming ON COMMIT DROP AS"  # noqa: S608
            " SELECT s.need_id, s.profile_id, s.score, s.rank::integer AS rank, s.parts::jsonb AS parts"
            f" FROM {StagedMatch._meta.db_table} s JOIN {MatchShard._meta.db_table} h ON h.id = s.shard_id"
            f" WHERE h.run_id = %s AND h.attempt = %s"
            f" AND EXISTS (SELECT 1 FROM {ExpertProfile._meta.db_table} p WHERE p.id = s.profile_id)"
            f" AND EXISTS (SELECT 1 FROM {Need._meta.db_table} n WHERE n.id = s.need_id)",
            [run.pk, attempt],
        )
        written = cursor.rowcount
    _merge_incoming(run, None)
    return written


# --- the whole run ------------------------------------------------------------------------------


def full_rematch_start(*, run_id: int, wait: bool = False, shards: int | None = None) -> int | None:
    """The coordinator: claim the run, plan its shards and queue them (they run on any worker;
    the last one swaps). Returns the number of shards, or None when the run is not ours."""
    run = claim_attempt(run_id, wait=wait)
    if run is None:
        return None
    try:
        return len(_plan(run, shards=shards, publish=True))
    except Exception as exc:
        _release(run, exc)
        raise


def full_rematch_here(run: MatchRun, *, shards: int | None = None, timings: dict | None = None) -> bool:
    """The same workflow in this process, shards one after the other (the caller holds the
    run's heartbeat). True if the run was swapped in."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    try:
        planned = _plan(run, shards=shards, publish=False)
        timings["plan_s"] = time.perf_counter() - started
        swapped = False
        for shard in planned:
            swapped = shard_run(run_id=run.pk, attempt=run.attempts, index=shard.index, beat=False, timings=timings)
        return swapped
    except Exception as exc:
        _release(run, exc)
        raise


def _release(run: MatchRun, exc: Exception) -> None:
    """A failed attempt: claimable again by a retry (Celery's for transient errors, the outbox
    relay's for the rest) until the attempts run out."""
    status = MatchRunStatus.FAILED if run.attempts >= MAX_RUN_ATTEMPTS else MatchRunStatus.PENDING
    _attempt(run.pk, run.attempts).update(status=status, error=repr(exc)[:2000])
    national_drop()


def full_rematch(
    *, run_id: int | None = None, by=None, timings: dict | None = None, wait: bool = False, shards: int | None = None
) -> MatchRun | None:
    """Re-score every open need against every matchable expert and swap the results in, in this
    process (the demo, tests, a shell): the workflow above with the shards one after the other.

    Without `run_id` a run is created here. Returns the finished run, or None when the run is
    not ours to do (held by a live worker, or already done); with `wait`, a holder that went
    silent is waited for until presumed dead, then the run restarts. `timings`, if given, is
    filled with the seconds spent planning, reading, scoring, staging and swapping.
    """
    if run_id is None:
        run_id = MatchRun.objects.create(kind=MatchRunKind.FULL, requested_by=by).pk
    run = claim_attempt(run_id, wait=wait)
    if run is None:
        return None
    # Our attempt: only it may swap its results in or record its failure (a holder that was
    # only slow, not dead, finds the run taken over and stops there).
    beat = lambda: lease_renew(_attempt(run_id, run.attempts), heartbeat_at=timezone.now())  # noqa: E731
    with Heartbeat(beat, every=RUN_HEARTBEAT_SECONDS, name=f"match-run-{run_id}"):
        if not full_rematch_here(run, shards=shards, timings=timings):
            return None
    run.refresh_from_db()
    return run
