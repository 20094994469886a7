from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiasporaConfig(AppConfig):
    name = "diaspora"
    verbose_name = _("Diaspora experts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The outbox runs tasks by name: register ours in every process, not only in workers.
        from . import privacy, tasks  # noqa: F401

        privacy.register()
