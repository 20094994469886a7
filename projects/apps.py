from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Investment projects")

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from . import privacy

        privacy.register()
