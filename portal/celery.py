import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("jusur")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger, **kwargs):
    """The worker sets up its own handlers instead of settings.LOGGING: mask there too."""
    from .redaction import RedactingFilter  # imported late: settings must be configured first

    for handler in logger.handlers:
        handler.addFilter(RedactingFilter())
