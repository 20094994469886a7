"""Integration: the deadline beat task run by a real Celery worker against Redis, twice."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.celery import app
from portal.models import Notification
from projects.models import Project, ProjectDeadlineAlert
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_overdue_project_is_escalated_once_even_if_beat_fires_twice(
    celery_worker_process, project, official_a, coordinator
):
    Project.objects.filter(pk=project.pk).update(due_at=timezone.now() - timedelta(hours=2))

    app.send_task("projects.deadlines_check")
    app.send_task("projects.deadlines_check")  # a duplicate beat tick, run concurrently (-c 2)

    def escalated():
        return Notification.objects.filter(kind="projects.escalation", emailed_at__isnull=False).count() == 2

    assert wait_for(escalated)
    time.sleep(2)  # leave the second run time to (not) send anything more
    assert list(ProjectDeadlineAlert.objects.values_list("kind", "recipients")) == [("escalation", 2)]
    recipients = sorted(Notification.objects.filter(kind="projects.escalation").values_list("user", flat=True))
    assert recipients == sorted([official_a.pk, coordinator.pk])
