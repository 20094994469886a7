import secrets

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import PartnerKind, Role
from .managers import UserManager


def new_pseudonym_key() -> str:
    return secrets.token_hex(32)


class PartnerOrganisation(models.Model):
    """An association, university, consulate, bank or donor that works with the regions.

    `pseudonym_key` keys the expert ids this organisation sees (portal.api.pseudonyms): each
    organisation has its own, so two partners cannot join their views of the experts; rotating
    it (partners.services.partner_pseudonym_key_rotate) gives the organisation new ids.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    country = models.CharField(_("country"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    pseudonym_key = models.CharField(_("pseudonym key"), max_length=64, default=new_pseudonym_key, editable=False)
    pseudonym_key_rotated_at = models.DateTimeField(
        _("pseudonym key rotated at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. The role says what they are; `regions` scopes officials.

    Who may see or change what is decided in portal/permissions.py, nowhere else.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    regions = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="officials",
        help_text=_("For regional officials: the regions they act for."),
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, default="fr", help_text=_("Used for e-mails.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OutboxMessage(models.Model):
    """A Celery task to publish, written in the same transaction as the change it follows.

    `transaction.on_commit` alone loses the message when Redis is unreachable right
    after commit; this row survives, and the relay publishes it later (RELIABILITY.md).
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    # Debounce key: while an unsent message with the same key waits, a new one is merged into it.
    dedup_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # First start: from then on the message no longer absorbs newcomers (debounce).
    started_at = models.DateTimeField(null=True, blank=True)
    # Held by a running attempt, renewed by its heartbeat; past, the attempt died (0011).
    lease_until = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    failed = models.BooleanField(
        default=False, help_text="Parked: the task's retry policy gave up, or its attempts kept dying."
    )
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["done_at", "available_at"], name="outbox_pending_idx")]
        constraints = [
            # A burst of changes with one key becomes one job: only a not-yet-started
            # message can absorb newcomers; once it runs, the next change queues anew.
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=models.Q(started_at__isnull=True) & ~models.Q(dedup_key=""),
                name="outbox_one_pending_per_key",
            )
        ]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"  # never the kwargs (ids only, but not for display)


class Notification(models.Model):
    """Something that happened to a user (invited, shortlisted, need closed…), shown in the
    portal and e-mailed once. Created only by portal.notifications.notification_send."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)
    # What to render, and from what: never the rendered text (it would keep names after an
    # erasure). See portal/notifications.py and docs/decisions/0008-no-personal-data-in-queues.md.
    template = models.CharField(_("template"), max_length=200, blank=True)
    refs = models.JSONField(_("referenced rows"), default=dict, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def subject(self) -> str:
        # Imported here: portal.notifications imports this module.
        from .notifications import notification_subject

        return notification_subject(self)
