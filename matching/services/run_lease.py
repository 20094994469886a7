"""A full run's lease: requested through the outbox, claimed by one coordinator at a time
with a conditional UPDATE, kept alive by a heartbeat while it works (decision 0011)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.outbox import outbox_enqueue

from ..enums import MatchRunKind, MatchRunStatus
from ..models import MatchRun

# A running run with no heartbeat for this long is presumed dead (its worker was killed) and
# may be claimed again. A thread beats every RUN_HEARTBEAT_SECONDS while the run works; the
# outbox lease of the run's message (30 s, renewed every 10 s) always outlives a dead run's
# heartbeat by at least 5 s, so the attempt the relay sends after a death finds the run free.
RUN_STALE_AFTER = timedelta(seconds=15)
RUN_HEARTBEAT_SECONDS = 5
MAX_RUN_ATTEMPTS = 5
RUNS_KEPT = timedelta(days=7)


# --- runs ------------------------------------------------------------------------------


def match_run_request(*, by=None, shards: int | None = None) -> MatchRun:
    """Ask for a full re-match (admin action, beat): a pending run and its coordinator task,
    after commit. `shards` overrides the planned number of shards (tests, benchmarks)."""
    kwargs = {"run_id": None} if shards is None else {"run_id": None, "shards": shards}
    with transaction.atomic():
        run = MatchRun.objects.create(kind=MatchRunKind.FULL, requested_by=by)
        outbox_enqueue(task_name="matching.full_rematch", kwargs=kwargs | {"run_id": run.pk})
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


def claim_attempt(run_id: int, *, wait: bool) -> MatchRun | None:
    """Claim the run (waiting for a silent holder with `wait`): the run as claimed, whose
    `attempts` numbers our attempt, or None when it is not ours to do."""
    if not (_run_claim_when_free(run_id) if wait else match_run_claim(run_id=run_id)):
        return None
    return MatchRun.objects.get(pk=run_id)
