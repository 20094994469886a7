from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and API access")

    def ready(self):
        # The outbox runs tasks by name: register ours in every process, not only in workers.
        from . import privacy, tasks  # noqa: F401

        privacy.register()
