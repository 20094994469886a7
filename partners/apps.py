from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and API access")

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from portal import events
        from portal.api.permissions import register_token_class
        from portal.extensions import register_contribution

        # The outbox runs tasks by name: register ours in every process, not only in workers.
        from . import privacy, selectors, tasks, webhooks  # noqa: F401
        from .enums import WEBHOOK_EVENT_TYPES
        from .models import APIToken

        privacy.register()
        register_token_class(APIToken)
        # The officials' work queue (dashboards) lists the proposals waiting for them.
        register_contribution("partners.need_proposals", selectors.need_proposal_list)
        # Webhooks: inside the emitting transaction, so that the deliveries (one per token that
        # can read the object through the API now) commit or roll back with the change.
        for event_type in WEBHOOK_EVENT_TYPES:
            events.subscribe(event_type, webhooks.webhook_event_handle)
