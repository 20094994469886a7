from celery import shared_task

from . import services


@shared_task(name="projects.deadlines_check")
def project_deadlines_check_task() -> dict[str, int]:
    """Beat: reminders before and escalations after each stage's response deadline (idempotent)."""
    return services.project_deadlines_check()
