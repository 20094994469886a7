"""Domain events (portal/events.py): emitted inside the change's transaction, handed to the
subscribers the apps registered when they started; outbox-task subscribers get one message each."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from partners.enums import WEBHOOK_EVENT_TYPES, WebhookEvent
from partners.webhooks import webhook_event_handle
from portal import events, reads
from portal.models import OutboxMessage
from regions.pagecache import need_event_pages_changed

pytestmark = pytest.mark.django_db


def _task_subscriptions(event_type) -> set[tuple]:
    return {
        (handler.task_name, handler.dedup_key, handler.delay_seconds)
        for handler in events.subscribers(event_type)
        if hasattr(handler, "task_name")
    }


def test_a_task_subscriber_gets_one_outbox_message_with_the_events_fields():
    events.emit(events.NeedChanged(need_id=41))

    message = OutboxMessage.objects.get()
    assert (message.task_name, message.kwargs, message.dedup_key) == (
        "matching.need_changed",
        {"need_id": 41},
        "matching:need:41",
    )
    assert round((message.available_at - message.created_at).total_seconds()) == 5


def test_a_second_event_while_the_first_waits_is_absorbed():
    events.emit(events.ExpertChanged(profile_id=7))
    events.emit(events.ExpertChanged(profile_id=7))
    events.emit(events.ExpertChanged(profile_id=8))

    assert sorted(OutboxMessage.objects.values_list("dedup_key", flat=True)) == [
        "matching:expert:7",
        "matching:expert:8",
    ]


def test_an_event_of_a_rolled_back_change_leaves_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(events.InvestmentChanged())
        raise RuntimeError("the change fails after emitting")

    assert not OutboxMessage.objects.exists()


def test_matching_subscribes_to_what_changes_its_inputs():
    assert _task_subscriptions(events.NeedChanged) == {("matching.need_changed", "matching:need:{need_id}", 5)}
    assert _task_subscriptions(events.ExpertChanged) == {("matching.expert_changed", "matching:expert:{profile_id}", 5)}
    assert _task_subscriptions(events.InvestmentChanged) == {
        ("matching.investment_rematch", "matching.investment_rematch", 10)
    }


def test_every_webhook_event_is_a_domain_event_partners_subscribe_to():
    assert sorted(event_type.name for event_type in WEBHOOK_EVENT_TYPES) == sorted(WebhookEvent.values)
    for event_type in WEBHOOK_EVENT_TYPES:
        # The need events are also heard by the page cache (regions/pagecache.py), in the transaction.
        others = [need_event_pages_changed] if event_type in (events.NeedPublished, events.NeedClosed) else []
        assert sorted(events.subscribers(event_type), key=id) == sorted([webhook_event_handle, *others], key=id)


def test_subscribing_twice_is_subscribing_once():
    before = events.subscribers(events.NeedPublished)

    events.subscribe(events.NeedPublished, webhook_event_handle)

    assert events.subscribers(events.NeedPublished) == before


def test_only_domain_events_can_be_emitted():
    with pytest.raises(TypeError):
        events.emit({"name": "need.published", "need_id": 1})


def test_the_read_log_refuses_to_show_without_a_recorder(monkeypatch):
    monkeypatch.setattr(reads, "_recorder", None)

    with pytest.raises(ImproperlyConfigured):
        reads.profile_reads_record(reader=None, reads=[], purpose="need_interests")
