"""Integration: a real Celery worker against Redis, tasks published through the outbox (the
worker killed in the middle of a full re-match: test_rematch_faults.py)."""

import time

import pytest
from celery.app.task import Task
from kombu.exceptions import OperationalError

from diaspora.services import consent_set
from matching.models import Match
from portal.models import OutboxMessage
from portal.outbox import outbox_relay
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


def test_profile_saved_while_broker_down_is_matched_once_back(worker, skill, official_a, monkeypatch):
    need_obj = need(skills=[skill], owner=official_a)
    profile = expert(skills=[skill])
    profile.consent_matching = False
    profile.save(update_fields=["consent_matching"])

    def refuse(*args, **kwargs):  # the network boundary: Redis unreachable
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as down:
        down.setattr(Task, "apply_async", refuse)
        consent_set(profile=profile, choices={"matching": True})  # the request still succeeds
    waiting = OutboxMessage.objects.filter(task_name="matching.expert_changed", published_at__isnull=True).count()
    time.sleep(6)  # the message's debounce delay
    relayed = outbox_relay()  # Redis is back: the beat relay publishes what waited

    assert (waiting, relayed) == (1, 1)
    assert wait_for(lambda: Match.objects.filter(need=need_obj, profile=profile, rank=1).exists())
