"""Integration: a real Celery worker against Redis, tasks published through the outbox."""

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from diaspora.services import consent_set
from matching import services
from matching.enums import MatchRunStatus
from matching.models import Match, MatchRun
from portal.models import OutboxMessage
from portal.outbox import REPUBLISH_AFTER, outbox_relay
from tests.matching.factories import SkillFactory, expert, need
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(real_broker):
    process = start_worker()
    yield process
    stop_worker(process)


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


def test_profile_saved_then_consent_withdrawn(worker, skill, official_a):
    need_obj = need(skills=[skill], owner=official_a)
    profile = expert(skills=[skill])
    profile.consent_matching = False
    profile.save(update_fields=["consent_matching"])

    consent_set(profile=profile, choices={"matching": True})  # commits, the outbox publishes

    assert wait_for(lambda: Match.objects.filter(need=need_obj, profile=profile, rank=1).exists())
    consent_set(profile=profile, choices={"matching": False})
    assert wait_for(lambda: not Match.objects.filter(profile=profile).exists())
    # The worker marks a message done after the task's body has run (portal.outbox): the rows
    # can be gone a moment before the last message is.
    assert wait_for(lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists())


def test_worker_killed_mid_full_rematch_then_rerun(real_broker, skill, official_a):
    needs = [need(skills=[skill], owner=official_a) for _ in range(3)]
    first = [expert(skills=[skill]) for _ in range(3)]
    services.full_rematch()  # the ranking everyone sees before the interrupted run
    before = sorted(Match.objects.values_list("need_id", "profile_id", "rank", "run_id"))
    later = [expert(skills=[(skill, 4, 30)]) for _ in range(2)]  # would take ranks 1 and 2
    slow = start_worker(extra_env={"JUSUR_TEST_PAUSE": "60"}, include="tests.matching.slow_engine")
    try:
        run = services.match_run_request(by=official_a)
        assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == MatchRunStatus.RUNNING)
        time.sleep(1.0)  # inside the paused run: scored, not yet written
    finally:
        stop_worker(slow, signal.SIGKILL)

    assert sorted(Match.objects.values_list("need_id", "profile_id", "rank", "run_id")) == before
    # Time passes: the run's heartbeat and the outbox claim grow old; the relay republishes.
    MatchRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - services.RUN_STALE_AFTER * 2)
    OutboxMessage.objects.filter(task_name="matching.full_rematch").update(
        started_at=timezone.now() - REPUBLISH_AFTER * 2, published_at=timezone.now() - REPUBLISH_AFTER * 2
    )
    fresh = start_worker()
    try:
        outbox_relay()
        assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == MatchRunStatus.DONE, timeout=60)
    finally:
        stop_worker(fresh)

    run.refresh_from_db()
    assert (run.attempts, run.matches_count, run.progress) == (2, 15, 100)
    assert Match.objects.count() == 15  # 3 needs × 5 experts, once each
    for need_obj in needs:
        ranking = list(Match.objects.filter(need=need_obj).order_by("rank").values_list("profile_id", "run_id"))
        assert {p for p, _ in ranking[:2]} == {e.pk for e in later}
        assert {p for p, _ in ranking[2:]} == {e.pk for e in first}
        assert {r for _, r in ranking} == {run.pk}
    assert timezone.now() - run.finished_at < timedelta(minutes=2)


def test_profile_saved_while_broker_down_is_matched_once_back(worker, skill, official_a, monkeypatch):
    from kombu.exceptions import OperationalError

    from portal.tasks import outbox_dispatch_task

    need_obj = need(skills=[skill], owner=official_a)
    profile = expert(skills=[skill])
    profile.consent_matching = False
    profile.save(update_fields=["consent_matching"])

    def refuse(*args, **kwargs):  # the network boundary: Redis unreachable
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as down:
        down.setattr(outbox_dispatch_task, "apply_async", refuse)
        consent_set(profile=profile, choices={"matching": True})  # the request still succeeds
    waiting = OutboxMessage.objects.filter(task_name="matching.expert_changed", published_at__isnull=True).count()
    time.sleep(6)  # the message's debounce delay
    relayed = outbox_relay()  # Redis is back: the beat relay publishes what waited

    assert (waiting, relayed) == (1, 1)
    assert wait_for(lambda: Match.objects.filter(need=need_obj, profile=profile, rank=1).exists())
