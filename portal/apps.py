from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal and accounts")

    def ready(self):
        # Imported here: both modules reach the models, which are loaded only now.
        from .lookups import integer_lookups_register
        from .validators import input_validators_install

        input_validators_install()
        integer_lookups_register()
