"""Thin Celery wrappers around regions.services (scheduled by beat)."""

from celery import shared_task

from . import services


@shared_task(name="regions.needs_expire")
def needs_expire_task() -> int:
    return services.needs_expire()


@shared_task(name="regions.deadline_reminders")
def deadline_reminders_task() -> int:
    return services.deadline_reminders()
