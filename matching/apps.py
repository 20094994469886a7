from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Register the task names other apps enqueue through the outbox in every process
        # (web, tests), not only in workers where Celery's autodiscovery imports them.
        from . import privacy, tasks  # noqa: F401

        privacy.register()
