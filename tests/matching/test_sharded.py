"""The full re-match as a sharded workflow (issue 19; docs/decisions/0020).

Planning and the in-process mode run here; the distributed runs start two real `celery worker`
processes with distinct node names (as two hosts would have) on the test database and Redis."""

import signal
from pathlib import Path

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import engine, loaders, services
from matching.conf import matching_conf
from matching.enums import MatchRunStatus
from matching.models import Match, MatchRun, MatchShard, StagedMatch
from matching.services import rankings, sharded
from portal.enums import SkillLevel
from portal.models import OutboxMessage
from regions.models import Need
from tests.matching.factories import SkillFactory, expert, need, skill_under
from tests.workers import start_worker, stop_worker, wait_for, wait_until_ready

SHARDS = 6


def _snapshot() -> list[tuple]:
    """The national ranking as readers see it (run ids aside)."""
    return sorted(Match.objects.values_list("need_id", "profile_id", "rank", "score", "parts", "status"))


def _population(official):
    """24 needs over 5 skills (one of them a narrower one) and 40 experts, unevenly popular."""
    broad = SkillFactory()
    skills = [broad, skill_under(broad), SkillFactory(), SkillFactory(), SkillFactory()]
    rng = np.random.default_rng(19)
    for i in range(40):
        held = rng.choice(len(skills), size=1 + i % 3, replace=False, p=[0.4, 0.2, 0.2, 0.1, 0.1])
        expert(skills=[(skills[k], SkillLevel.ADVANCED - (i % 2), 1 + i % 9) for k in held.tolist()])
    for i in range(24):
        wanted = [skills[i % 5], skills[(i * 3 + 1) % 5]] if i % 4 else [skills[i % 5]]
        need(skills=list(dict.fromkeys(wanted)), owner=official)


def _single_pass_rows() -> list[tuple]:
    """What the unsharded full re-match computed: every need against every expert at once."""
    conf = matching_conf()
    hierarchy = loaders.hierarchy_load(conf)
    inputs = loaders.Inputs(loaders.experts_load(n_skills=hierarchy.n_skills), loaders.needs_load(), hierarchy)
    rows = rankings._rows(engine.match_needs(inputs.experts, inputs.needs, hierarchy, conf), inputs, conf)
    return sorted((n, p, r, s, parts, "suggested") for n, p, s, r, parts in rows)


# --- planning ------------------------------------------------------------------------------------


def test_plan_balances_expected_candidates_not_counts():
    # One need with many candidates weighs as much as many needs with few.
    costs = {1: 900, 2: 100, 3: 100, 4: 100, 5: 100, 6: 100, 7: 100, 8: 100, 9: 100, 10: 100}

    planned = sharded.plan_shards(costs, shards=2)

    assert planned == [([1], 900), ([2, 3, 4, 5, 6, 7, 8, 9, 10], 900)]
    assert sharded.plan_shards({}, shards=3) == [([], 0)]  # no open need: one empty shard, still swapped
    assert len(sharded.plan_shards(dict.fromkeys(range(5), 1), shards=99)) == 5  # never an empty slice


def test_need_costs_count_the_experts_holding_each_skill(taxonomy, official_a):
    common, rare = SkillFactory(), SkillFactory()
    for _ in range(3):
        expert(skills=[common])
    expert(skills=[rare, common])
    both = need(skills=[common, rare], owner=official_a)
    one = need(skills=[rare], owner=official_a)

    with CaptureQueriesContext(connection) as queries:
        costs = sharded.need_costs([both.pk, one.pk])

    assert costs == {both.pk: sharded.NEED_COST + 4 + 1, one.pk: sharded.NEED_COST + 1}
    assert len(queries) == 2  # the needs' skills, then the holders of those skills


# --- in-process mode ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_process_shards_give_the_single_pass_result(taxonomy, official_a):
    _population(official_a)
    expected = _single_pass_rows()

    run = services.full_rematch(shards=SHARDS)

    assert _snapshot() == expected
    assert len(expected) > 40
    assert (run.status, run.attempts, run.shards_total, run.shards_done, run.progress) == (
        MatchRunStatus.DONE,
        1,
        SHARDS,
        SHARDS,
        100,
    )
    shards = list(MatchShard.objects.filter(run=run))
    assert sorted(n for s in shards for n in s.need_ids) == sorted(Need.objects.open().values_list("pk", flat=True))
    assert all(s.done_at and s.deliveries == 1 for s in shards)
    assert not StagedMatch.objects.exists()  # staging emptied by the swap
    assert set(Match.objects.values_list("run_id", flat=True)) == {run.pk}
    # One shard or six: the same ranking (the national write path, merged in SQL, too).
    services.full_rematch(shards=1)
    assert _snapshot() == expected


@pytest.mark.django_db
def test_in_process_national_write_path_gives_the_same_rows(taxonomy, official_a, monkeypatch):
    _population(official_a)
    expected = _single_pass_rows()
    monkeypatch.setattr(rankings, "COPY_ABOVE", 0)  # the swap merges from the staging table in SQL

    services.full_rematch(shards=SHARDS)

    assert _snapshot() == expected


@pytest.mark.django_db
def test_a_shard_of_a_replaced_attempt_changes_nothing(taxonomy, official_a):
    _population(official_a)
    run = services.full_rematch(shards=2)
    before = _snapshot()

    # A late copy of a shard of an attempt that is no longer the run's: dropped.
    assert services.shard_run(run_id=run.pk, attempt=run.attempts + 1, index=0) is False
    assert services.shard_run(run_id=run.pk, attempt=run.attempts, index=0) is False  # swapped already

    assert _snapshot() == before
    assert MatchShard.objects.get(run=run, index=0).deliveries == 1


# --- across workers -------------------------------------------------------------------------------


def _two_workers(tmp_path: Path, **env):
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    workers = [
        start_worker(
            eager=False,
            name=f"{name}@jusur-test",
            include="tests.matching.shard_faults",
            extra_env={"JUSUR_TEST_SHARD_DELAY": "1", **env},
            log_path=log,
            log_level="info",
        )
        for name, log in zip("ab", logs, strict=True)
    ]
    if not all(wait_until_ready(log) for log in logs):
        for worker in workers:
            stop_worker(worker, signal.SIGKILL)
        pytest.fail("workers did not start: " + " | ".join(log.read_text()[-2000:] for log in logs))
    return workers, logs


def _distributed_run(tmp_path, official, **env):
    workers, logs = _two_workers(tmp_path, **env)
    try:
        run = services.match_run_request(by=official, shards=SHARDS)
        finished = wait_for(
            lambda: MatchRun.objects.get(pk=run.pk).status in (MatchRunStatus.DONE, MatchRunStatus.FAILED), 120
        )
    finally:
        for worker in workers:
            stop_worker(worker)
    text = "".join(log.read_text(errors="replace") for log in logs)
    assert finished, text[-4000:]
    run.refresh_from_db()
    return run, text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_shards_spread_over_two_workers_and_swap_once(real_broker, taxonomy, official_a, tmp_path):
    _population(official_a)
    expected = _single_pass_rows()

    run, logs = _distributed_run(tmp_path, official_a)

    assert (run.status, run.attempts, run.shards_total, run.shards_done, run.progress) == (
        MatchRunStatus.DONE,
        1,
        SHARDS,
        SHARDS,
        100,
    )
    hosts = list(MatchShard.objects.filter(run=run).values_list("hostname", flat=True))
    assert set(hosts) == {"a@jusur-test", "b@jusur-test"}, hosts  # both workers scored shards
    assert logs.count(f"run {run.pk} (attempt 1) swapped in") == 1  # one swap, by one worker
    assert _snapshot() == expected  # what one process computes in a single pass
    assert set(Match.objects.values_list("run_id", flat=True)) == {run.pk}
    assert not StagedMatch.objects.exists()
    messages = OutboxMessage.objects.filter(task_name__startswith="matching.full_rematch")
    assert (
        sorted(messages.values_list("task_name", "failed", "attempts"))
        == [("matching.full_rematch", False, 1)] + [("matching.full_rematch_shard", False, 1)] * SHARDS
    )
    assert not messages.filter(done_at__isnull=True).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failing_shard_is_retried_and_the_run_swaps_once(real_broker, taxonomy, official_a, tmp_path):
    _population(official_a)
    expected = _single_pass_rows()
    flag = tmp_path / "fail-once"
    flag.touch()

    run, logs = _distributed_run(tmp_path, official_a, JUSUR_TEST_SHARD_FAIL_ONCE=str(flag))

    assert not flag.exists()  # the fault fired
    assert "injected shard failure" in logs
    assert (run.status, run.attempts, run.shards_done) == (MatchRunStatus.DONE, 1, SHARDS)
    deliveries = sorted(MatchShard.objects.filter(run=run).values_list("deliveries", flat=True))
    assert deliveries == [1] * (SHARDS - 1) + [2]  # the failed shard ran again; no other did
    assert logs.count(f"run {run.pk} (attempt 1) swapped in") == 1
    assert _snapshot() == expected
    assert not OutboxMessage.objects.filter(failed=True).exists()


@pytest.mark.django_db
def test_the_admin_shows_each_shard_and_its_worker(taxonomy, official_a, admin_client):
    _population(official_a)
    run = services.full_rematch(shards=2)
    MatchShard.objects.filter(run=run, index=1).update(hostname="b@worker-host-2")

    response = admin_client.get(f"/fr/admin/matching/matchrun/{run.pk}/change/")

    assert response.status_code == 200
    assert "b@worker-host-2" in response.content.decode()
