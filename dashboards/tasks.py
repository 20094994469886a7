"""Thin Celery wrappers (beat schedule entries are in portal/settings.py)."""

from celery import shared_task

from . import services


@shared_task(name="dashboards.open_data_refresh", time_limit=600, soft_time_limit=540)
def open_data_refresh_task() -> int:
    return services.open_data_refresh()


@shared_task(name="dashboards.cache_refresh", time_limit=300, soft_time_limit=270)
def dashboard_cache_refresh_task() -> int:
    return services.dashboard_cache_refresh()
