"""Deadlines of the pipeline's stages: reminders before, escalations after."""

from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from portal.enums import Role
from portal.models import User

from ..enums import AlertKind
from ..models import Project, ProjectDeadlineAlert, ProjectTransition
from ..pipeline import REMINDER_BEFORE
from .base import notify


def _region_officials(region_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.OFFICIAL, is_active=True, regions=region_id).order_by("pk"))


def _coordinators() -> list[User]:
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk"))


def project_deadlines_check(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the officer before a stage's deadline, escalate after it. Each alert is recorded
    per stage (unique on the stage's transition and kind), so running this twice sends nothing twice."""
    now = now or timezone.now()
    last_step = ProjectTransition.objects.filter(project=OuterRef("pk")).order_by("-at", "-pk").values("pk")[:1]
    due = (
        Project.objects.open()
        .filter(due_at__isnull=False, due_at__lte=now + REMINDER_BEFORE)
        .select_related("assigned_officer", "region")
        .annotate(stage_step_id=Subquery(last_step))
        .order_by("due_at", "pk")
    )
    sent = {AlertKind.REMINDER: 0, AlertKind.ESCALATION: 0}
    for project in due:
        if project.stage_step_id is None:
            continue
        kind = AlertKind.ESCALATION if project.due_at <= now else AlertKind.REMINDER
        with transaction.atomic():
            alert, created = ProjectDeadlineAlert.objects.get_or_create(
                transition_id=project.stage_step_id, kind=kind, defaults={"project": project, "sent_at": now}
            )
            if not created:
                continue
            if kind == AlertKind.REMINDER:
                recipients = [project.assigned_officer] if project.assigned_officer else []
                recipients = recipients or _region_officials(project.region_id)
            else:
                recipients = _region_officials(project.region_id) + _coordinators()
            params = {"status": project.status, "due_at": project.due_at.date().isoformat()}
            for user in recipients:
                notify(
                    user=user,
                    kind=f"projects.{kind}",
                    template=f"project_{kind}",
                    refs={"project": project},
                    params=params,
                    url_name="projects:project_detail",
                    pk=project.pk,
                )
            ProjectDeadlineAlert.objects.filter(pk=alert.pk).update(recipients=len(recipients))
            sent[kind] += 1
    return {"reminders": sent[AlertKind.REMINDER], "escalations": sent[AlertKind.ESCALATION]}
