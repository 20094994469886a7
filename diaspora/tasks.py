from celery import shared_task

from . import services


@shared_task(name="diaspora.staleness_sweep")
def staleness_sweep_task() -> dict:
    return services.staleness_sweep()
