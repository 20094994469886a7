from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and roadmaps")

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from . import pagecache, privacy, rules

        pagecache.register()
        privacy.register()
        rules.register()
