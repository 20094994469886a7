from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiasporaConfig(AppConfig):
    name = "diaspora"
    verbose_name = _("Diaspora experts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from portal.notifications import register_link_builder
        from portal.reads import register_profile_read_recorder

        # The outbox runs tasks by name: register ours in every process, not only in workers.
        from . import access_log, privacy, services, tasks  # noqa: F401

        privacy.register()
        register_profile_read_recorder(access_log.profile_reads_record)
        register_link_builder(services.VERIFY_TEMPLATE, services.verification_path)
        register_link_builder(services.PASSWORD_RESET_TEMPLATE, services.password_reset_path)
