"""Fault tests (issue 15, item 2): a full re-match whose worker is SIGKILLed in the middle —
the whole worker, or only its pool child — completes within 60 s of a worker being available
again, with no duplicate row, the old ranking visible until the one swap.

Since the re-match is sharded (issue 19, decision 0020) the kill lands in a shard: the shard
runs again (its outbox message is published again by the relay), not the whole run, which keeps
its first attempt; the coordinator's own message, whose attempt died too, ends with nothing
left to do.

Real processes: the worker is a `celery worker` subprocess on the test database and Redis;
beat's outbox relay ticks from a thread of the test every 15 s, as beat would."""

import os
import signal
import time

import pytest

from matching import services
from matching.enums import MatchRunKind, MatchRunStatus
from matching.models import Match, MatchRun, MatchShard
from portal.models import OutboxMessage
from tests.matching.factories import SkillFactory, expert, need
from tests.workers import pool_children, relay_ticking, start_worker, stop_worker, wait_for, wait_until_ready

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

RECOVERY_LIMIT = 60.0  # seconds, from a worker being available (issue 15)


def _ranking() -> tuple:
    return tuple(sorted(Match.objects.values_list("need_id", "profile_id", "rank", "run_id")))


@pytest.fixture
def scenario(taxonomy, official_a):
    """Three needs, three experts ranked by a first run, then two stronger experts whom only
    the interrupted run would rank first."""
    skill = SkillFactory()
    needs = [need(skills=[skill], owner=official_a) for _ in range(3)]
    first = [expert(skills=[skill]) for _ in range(3)]
    services.full_rematch()
    later = [expert(skills=[(skill, 4, 30)]) for _ in range(2)]
    return needs, first, later


def _paused_run(tmp_path, official_a):
    """A full re-match requested through the outbox and paused after scoring, before its swap,
    in a worker whose pause lasts while `flag` exists."""
    flag = tmp_path / "pause"
    flag.touch()
    env = {"JUSUR_TEST_PAUSE": "300", "JUSUR_TEST_PAUSE_WHILE": str(flag)}
    worker = start_worker(
        extra_env=env, include="tests.matching.slow_engine", log_path=tmp_path / "slow.log", log_level="info"
    )
    run = services.match_run_request(by=official_a)
    paused = lambda: MatchRun.objects.filter(pk=run.pk, status=MatchRunStatus.RUNNING, progress__gt=0).exists()  # noqa: E731
    if not wait_for(paused, timeout=90):
        stop_worker(worker, signal.SIGKILL)
        pytest.fail("the run never reached its pause: " + (tmp_path / "slow.log").read_text()[-3000:])
    return worker, run, flag


def _recover(run: MatchRun, samples: set) -> float:
    """Seconds until the run is done, sampling the ranking readers see meanwhile."""
    started = time.monotonic()

    def done():
        samples.add(_ranking())
        return MatchRun.objects.get(pk=run.pk).status == MatchRunStatus.DONE

    assert wait_for(done, timeout=RECOVERY_LIMIT)
    recovery = time.monotonic() - started
    # The dead coordinator's message is published again once its lease expired: it finds the
    # run done and ends there (nothing is left running or parked).
    pending = OutboxMessage.objects.filter(task_name__startswith="matching.full_rematch", done_at__isnull=True)
    assert wait_for(lambda: samples.add(_ranking()) or not pending.exists(), timeout=RECOVERY_LIMIT)
    return recovery


def _check_outcome(run: MatchRun, scenario, before: tuple, samples: set, recovery: float, fault: str) -> None:
    needs, first, later = scenario
    after = _ranking()
    assert samples <= {before, after}  # the old ranking until the single swap, never a mix
    run.refresh_from_db()
    # Not restarted: only the killed shard ran again, and the run was swapped in once.
    assert (run.status, run.attempts, run.matches_count, run.progress) == (MatchRunStatus.DONE, 1, 15, 100)
    [shard] = MatchShard.objects.filter(run=run)
    assert (shard.deliveries, shard.done_at is not None) == (2, True)
    assert Match.objects.count() == 15  # 3 needs × 5 experts, once each: no duplicate row
    assert MatchRun.objects.filter(kind=MatchRunKind.FULL).count() == 2  # no run started twice
    messages = OutboxMessage.objects.filter(task_name__startswith="matching.full_rematch")
    assert not messages.filter(done_at__isnull=True).exists()  # the dead coordinator's copy found the run done
    assert sorted(messages.values_list("task_name", "failed")) == [
        ("matching.full_rematch", False),
        ("matching.full_rematch_shard", False),
    ]
    for need_obj in needs:
        ranking = list(Match.objects.filter(need=need_obj).order_by("rank").values_list("profile_id", "run_id"))
        assert {p for p, _ in ranking[:2]} == {e.pk for e in later}
        assert {p for p, _ in ranking[2:]} == {e.pk for e in first}
        assert {r for _, r in ranking} == {run.pk}
    # The figures for the fault table of docs/operations.md (run pytest with -s to see them).
    print(f"\n[fault] {fault}: recovered in {recovery:.1f} s, duplicates 0, changes lost 0, samples {len(samples)}")


def test_worker_sigkilled_mid_full_rematch_completes_once_a_worker_is_back(real_broker, scenario, official_a, tmp_path):
    before = _ranking()
    slow, run, flag = _paused_run(tmp_path, official_a)
    stop_worker(slow, signal.SIGKILL)  # the whole worker: main process and pool child
    flag.unlink()
    assert _ranking() == before

    log = tmp_path / "fresh.log"
    fresh = start_worker(log_path=log, log_level="info")
    samples: set = set()
    try:
        assert wait_until_ready(log)
        with relay_ticking():
            recovery = _recover(run, samples)
    finally:
        stop_worker(fresh)
    _check_outcome(run, scenario, before, samples, recovery, "worker SIGKILL mid full re-match")


def test_pool_child_sigkilled_mid_full_rematch_completes(real_broker, scenario, official_a, tmp_path):
    before = _ranking()
    worker, run, flag = _paused_run(tmp_path, official_a)
    samples: set = set()
    try:
        [child] = pool_children(worker)
        with relay_ticking():
            os.kill(child, signal.SIGKILL)  # the main process lives and starts a new child
            flag.unlink()
            assert _ranking() == before
            recovery = _recover(run, samples)
    finally:
        stop_worker(worker)
    _check_outcome(run, scenario, before, samples, recovery, "pool child SIGKILL mid full re-match")
