from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from portal.enums import Role
from portal.models import Notification
from projects.models import ProjectDeadlineAlert
from projects.services import project_deadlines_check, project_transition
from projects.tasks import project_deadlines_check_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _alerts():
    return sorted(ProjectDeadlineAlert.objects.values_list("kind", "recipients"))


def test_nothing_is_sent_long_before_the_deadline(project):
    assert project_deadlines_check(now=project.due_at - timedelta(days=5)) == {"reminders": 0, "escalations": 0}
    assert _alerts() == []


def test_reminder_goes_to_the_assigned_officer_once(project, official_a):
    when = project.due_at - timedelta(days=2)
    assert project_deadlines_check(now=when) == {"reminders": 1, "escalations": 0}
    assert project_deadlines_check(now=when + timedelta(hours=1)) == {"reminders": 0, "escalations": 0}
    assert _alerts() == [("reminder", 1)]
    assert list(Notification.objects.filter(kind="projects.reminder").values_list("user", flat=True)) == [official_a.pk]


def test_escalation_goes_to_the_region_and_coordinators_once(project, official_a, coordinator, region_a):
    colleague = UserFactory(role=Role.OFFICIAL, regions=[region_a])
    when = project.due_at + timedelta(hours=1)
    assert project_deadlines_check(now=when) == {"reminders": 0, "escalations": 1}
    assert project_deadlines_check(now=when) == {"reminders": 0, "escalations": 0}
    recipients = set(Notification.objects.filter(kind="projects.escalation").values_list("user", flat=True))
    assert recipients == {official_a.pk, colleague.pk, coordinator.pk}
    assert _alerts() == [("escalation", 3)]


def test_a_new_stage_gets_its_own_alerts(project, official_a):
    project_deadlines_check(now=project.due_at - timedelta(days=1))
    project_transition(project=project, to="under_review", by=official_a, note="")
    project.refresh_from_db()
    assert project_deadlines_check(now=project.due_at - timedelta(days=1)) == {"reminders": 1, "escalations": 0}
    assert _alerts() == [("reminder", 1), ("reminder", 1)]


def test_finished_projects_are_left_alone(project, official_a):
    project_transition(project=project, to="dropped", by=official_a, note="Abandon")
    assert project_deadlines_check(now=timezone.now() + timedelta(days=400)) == {"reminders": 0, "escalations": 0}


def test_beat_task_runs_the_check(project):
    assert project_deadlines_check_task.name == "projects.deadlines_check"
    assert project_deadlines_check_task.apply().get() == {"reminders": 0, "escalations": 0}


def test_reminder_email_is_in_the_officers_language(project, official_a, django_capture_on_commit_callbacks):
    from django.core import mail

    official_a.preferred_language = "fr"
    official_a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        project_deadlines_check(now=project.due_at - timedelta(days=1))
    # The date in the recipient's format (portal/formats), not the ISO code it travels as.
    with translation.override("fr"):
        due = date_format(project.due_at.date(), "DATE_FORMAT")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([official_a.email], f"Rappel : réponse attendue avant le {due} pour « Huilerie moderne à Béni Mellal »")
    ]
    assert f"/fr/investment/projects/{project.pk}/" in mail.outbox[0].body
