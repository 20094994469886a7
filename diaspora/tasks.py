from celery import shared_task

from . import access_log, services


@shared_task(name="diaspora.staleness_sweep")
def staleness_sweep_task() -> dict:
    return services.staleness_sweep()


@shared_task(name="diaspora.profile_reads_purge")
def profile_reads_purge_task() -> int:
    return access_log.profile_reads_purge()
