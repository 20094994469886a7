"""The scopes of the partner API. Every app's API views name the scope each operation needs, so
the vocabulary lives in the core; partners issue tokens holding them (partners.models.APIToken)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a partner token may do. Each API operation names the scope it needs."""

    READ_PUBLIC = "read:public", _("Read open data (territories, taxonomy, roadmaps, needs, statistics)")
    READ_EXPERTS = "read:experts", _("Read pseudonymised experts, matches and the investment projects shared with you")
    WRITE_NEEDS = "write:needs", _("Propose needs to a region (they land as drafts)")
    WRITE_OUTCOMES = "write:outcomes", _("Record outcomes of engagements the partner runs")
    WEBHOOKS = "webhooks", _("Manage webhook subscriptions")
