import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal.models import Notification, OutboxMessage
from regions.enums import NeedStatus, ReminderKind
from regions.models import NeedReminder
from regions.tasks import deadline_reminders_task, needs_expire_task

from .factories import NeedFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_needs_expire_expires_open_needs_past_their_end_date_once(roadmap_a, official_a):
    axis = roadmap_a.axes.first()
    past = NeedFactory(axis=axis, owner=official_a, start_date=_today() - dt.timedelta(days=40), duration_days=30)
    current = NeedFactory(axis=axis, owner=official_a, start_date=_today() - dt.timedelta(days=10), duration_days=30)
    draft = NeedFactory(
        axis=axis, owner=official_a, status="draft", start_date=_today() - dt.timedelta(days=40), duration_days=30
    )
    assert needs_expire_task.apply().get() == 1
    assert needs_expire_task.apply().get() == 0
    for need in (past, current, draft):
        need.refresh_from_db()
    statuses = {n.pk: n.status for n in (past, current, draft)}
    assert statuses == {past.pk: NeedStatus.EXPIRED, current.pk: NeedStatus.OPEN, draft.pk: NeedStatus.DRAFT}
    assert OutboxMessage.objects.filter(task_name="matching.need_changed", kwargs={"need_id": past.pk}).count() == 1


def test_reminders_before_the_deadline_are_sent_once(roadmap_a, official_a, coordinator_a, coordinator):
    need = NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, response_deadline=_today() + dt.timedelta(days=2))
    NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, response_deadline=_today() + dt.timedelta(days=10))
    first = deadline_reminders_task.apply().get()
    second = deadline_reminders_task.apply().get()
    assert (first, second) == (2, 0)  # the owner and the region's own coordinator, not every coordinator
    assert set(NeedReminder.objects.values_list("need_id", "kind", "recipient_id")) == {
        (need.pk, ReminderKind.BEFORE_DEADLINE, official_a.pk),
        (need.pk, ReminderKind.BEFORE_DEADLINE, coordinator_a.pk),
    }
    assert Notification.objects.filter(kind="regions.before_deadline").count() == 2


def test_escalation_after_the_deadline_is_sent_once_and_emailed(
    roadmap_a, official_a, coordinator_a, django_capture_on_commit_callbacks
):
    need = NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, response_deadline=_today() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_task.apply().get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_task.apply().get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([official_a.email, coordinator_a.email])
    assert all(need.title in m.subject for m in mail.outbox)
    assert set(NeedReminder.objects.values_list("kind", flat=True)) == {ReminderKind.ESCALATION}


def test_moving_the_deadline_allows_a_new_reminder(roadmap_a, official_a, coordinator_a):
    need = NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, response_deadline=_today() + dt.timedelta(days=1))
    assert deadline_reminders_task.apply().get() == 2
    need.response_deadline = _today() + dt.timedelta(days=3)
    need.save()
    assert deadline_reminders_task.apply().get() == 2
    assert NeedReminder.objects.count() == 4


def test_finished_needs_get_no_reminder(roadmap_a, official_a, coordinator_a):
    NeedFactory(
        axis=roadmap_a.axes.first(),
        owner=official_a,
        status="fulfilled",
        response_deadline=_today() - dt.timedelta(days=1),
    )
    assert deadline_reminders_task.apply().get() == 0


def test_all_coordinators_are_told_when_none_follows_the_region(roadmap_a, official_a, coordinator):
    NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, response_deadline=_today())
    assert deadline_reminders_task.apply().get() == 2
    assert set(NeedReminder.objects.values_list("recipient_id", flat=True)) == {official_a.pk, coordinator.pk}
