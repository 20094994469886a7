"""Issue 15, item 3: an edit absorbed by a waiting message for the same expert must reach the
rankings even when that message's job starts while the edit's transaction is still open.

The edit runs in a thread that holds its transaction open for a while (a slow request); the
job is the waiting message, delivered meanwhile (in-process, as the worker would run it)."""

import threading
import time

import pytest
from django.db import connection, transaction

from diaspora.services import profile_skills_set
from matching import services
from matching.models import Match
from portal.models import OutboxMessage
from portal.outbox import outbox_publish, outbox_relay
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 2.0


def test_a_skill_removed_while_the_waiting_job_starts_reaches_the_rankings(taxonomy, official_a):
    skill = SkillFactory()
    need_obj = need(skills=[skill], owner=official_a)
    profile = expert(skills=[skill])
    services.full_rematch()
    assert Match.objects.filter(need=need_obj, profile=profile, rank=1).exists()
    # An earlier edit's job, still waiting for its debounce delay to pass.
    waiting = OutboxMessage.objects.create(
        task_name="matching.expert_changed",
        kwargs={"profile_id": profile.pk},
        dedup_key=f"matching:expert:{profile.pk}",
    )
    edited = threading.Event()

    def slow_edit():
        try:
            with transaction.atomic():
                profile_skills_set(profile=profile, skills=[])  # absorbed by the waiting message
                edited.set()
                time.sleep(HOLD_SECONDS)  # the request is still busy: not committed yet
        finally:
            connection.close()

    editor = threading.Thread(target=slow_edit)
    editor.start()
    assert edited.wait(30)
    outbox_publish(message_id=waiting.pk)  # the waiting job starts while the edit is open
    editor.join()
    outbox_relay()  # and whatever the edit queued, if anything, runs too

    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 0
    assert not Match.objects.filter(profile=profile).exists()  # the removed skill no longer matches
