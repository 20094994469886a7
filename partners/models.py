from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.enums import EngagementFormat, Language, WorkMode
from regions.enums import AxisKind

from .enums import DeliveryStatus, OutcomeStatus, ProposalStatus


class APITokenQuerySet(models.QuerySet):
    def usable(self):
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class APIToken(models.Model):
    """A partner organisation's key to the REST API.

    Only an HMAC-SHA256 of the token is stored (keyed with SECRET_KEY, verified against
    SECRET_KEY_FALLBACKS too, so the key can be rotated); `prefix` is the public part used
    to find the row. The plaintext is shown once, when it is created (partners.services).
    """

    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “open data sync”."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region restriction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("If set, the token reaches only this region's data."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = APITokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} (jsr_{self.prefix}_…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class WebhookSubscription(models.Model):
    """A partner's URL that receives signed events. It acts with the rights of the token that
    created it: each delivery carries what that token reads from the API at that moment, and
    nothing when it cannot (revoked, expired, lacking the scope, region or visibility)."""

    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    token = models.ForeignKey(
        APIToken, verbose_name=_("API token"), on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    failure_count = models.PositiveIntegerField(_("consecutive failures"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event for one subscription, tried until it succeeds or is given up."""

    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=64)
    event_id = models.UUIDField(_("event id"))
    # The id of the event's object (need, match, engagement, project). The body is not stored:
    # it is read through the API for the subscriber's token at each attempt.
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhookdelivery_once_per_event")
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription_id} ({self.status})"


class WebhookAttempt(models.Model):
    """The log of every HTTP attempt of a delivery, in order."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="webhookattempt_unique_number")]

    def __str__(self):
        return f"#{self.number} {self.response_code or self.error[:40]}"


class NeedProposal(models.Model):
    """A need a partner proposes to a region through the API (scope `write:needs`).

    It is not a Need: a region's official reviews it and, on acceptance, it becomes a draft
    need of the region's adopted roadmap, owned by that official (partners.services)."""

    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="need_proposals",
    )
    token = models.ForeignKey(
        APIToken, verbose_name=_("API token"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="need_proposals"
    )
    axis_kind = models.CharField(_("axis"), max_length=32, choices=AxisKind.choices, default=AxisKind.DIASPORA_SKILLS)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    text_language = models.CharField(_("language of the text"), max_length=8, choices=Language.choices, default="fr")
    sector = models.ForeignKey(
        "taxonomy.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("engagement format"), max_length=32, choices=EngagementFormat.choices)
    work_mode = models.CharField(_("remote or on site"), max_length=16, choices=WorkMode.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duration (days)"), null=True, blank=True)
    experts_wanted = models.PositiveSmallIntegerField(_("experts wanted"), default=1)
    skills = models.JSONField(_("required skills"), default=list)
    languages = models.JSONField(_("required languages"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    need = models.OneToOneField(
        "regions.Need", verbose_name=_("need"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("need proposal")
        verbose_name_plural = _("need proposals")

    def __str__(self):
        return self.title


class EngagementOutcome(models.Model):
    """What a partner reports about an engagement it runs (one whose need came from its own
    proposal): the need's owner is told, and records the engagement's end in the portal."""

    engagement = models.ForeignKey(
        "matching.Engagement", verbose_name=_("engagement"), on_delete=models.CASCADE, related_name="partner_outcomes"
    )
    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="engagement_outcomes",
    )
    status = models.CharField(_("outcome"), max_length=16, choices=OutcomeStatus.choices)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("engagement outcome")
        verbose_name_plural = _("engagement outcomes")

    def __str__(self):
        return f"{self.engagement_id}: {self.status}"
