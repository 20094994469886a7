from celery import shared_task

from . import access_log, password_reset, services


@shared_task(name="diaspora.staleness_sweep")
def staleness_sweep_task() -> dict:
    return services.staleness_sweep()


@shared_task(name="diaspora.profile_reads_purge")
def profile_reads_purge_task() -> int:
    return access_log.profile_reads_purge()


@shared_task(name="diaspora.password_reset_send")
def password_reset_send_task(*, user_ids: list[int]) -> int:
    return password_reset.password_reset_send(user_ids=user_ids)
