from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and open data")

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from . import signals

        signals.connect()
