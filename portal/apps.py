from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True  # this module also holds JusurAdminConfig
    name = "portal"
    verbose_name = _("Portal and accounts")

    def ready(self):
        # Imported here: these modules reach the models, which are loaded only now.
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401 - registers the deploy checks
            logs,
            metrics,
            tasks,  # noqa: F401 - the outbox publishes tasks by name, in every process
        )
        from .lookups import integer_lookups_register
        from .twofactor import session_start
        from .validators import input_validators_install

        input_validators_install()
        logs.celery_signals_connect()  # request ids and timings of tasks, in web and worker alike
        metrics.celery_signals_connect()
        integer_lookups_register()

        # Every way of signing in (our form, the admin's, tests' force_login) starts the session
        # the same way: auth time, privileges, second step owed. Session bookkeeping, not domain flow.
        def _start(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                session_start(request=request, user=user)

        user_logged_in.connect(_start, dispatch_uid="jusur_session_start", weak=False)


class JusurAdminConfig(admin_apps.AdminConfig):
    """The admin, whose site also requires a session verified with the second factor."""

    default = False
    default_site = "portal.admin_site.JusurAdminSite"
