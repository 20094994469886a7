from celery import shared_task

from . import password_reset, services


@shared_task(name="diaspora.staleness_sweep")
def staleness_sweep_task() -> dict:
    return services.staleness_sweep()


@shared_task(name="diaspora.password_reset_send")
def password_reset_send_task(*, email: str) -> int:
    return password_reset.password_reset_send(email=email)
