from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.i18n import LocalizedNameMixin, active_language
from portal.multilingual import clean_translations, translations_field
from portal.storage import private_storage  # the name stays here for the migrations

from .eligibility import threshold_error
from .enums import (
    AlertKind,
    EligibilityField,
    EligibilityOperator,
    OpportunityStatus,
    ProjectStage,
    ProjectStatus,
    SupportNeed,
)
from .querysets import AppendOnlyQuerySet, OpportunityQuerySet, ProjectQuerySet
from .validators import project_pdf

# Sane bounds for amounts in Moroccan dirhams: below 10,000 MAD it is not an investment
# project, above 10 billion MAD it is a typing mistake (the largest diaspora projects are far below).
MIN_AMOUNT_MAD = 10_000
MAX_AMOUNT_MAD = 10_000_000_000
MAX_JOBS = 100_000

isic_division_validator = RegexValidator(r"^\d{2}$", _("Enter an ISIC division as two digits, for example 10."))


def _document_path(prefix: str, owner_id: int) -> str:
    return f"{prefix}/{owner_id}/{uuid4().hex}.pdf"


def opportunity_document_path(instance, filename: str) -> str:
    return _document_path("opportunities", instance.opportunity_id)


def project_document_path(instance, filename: str) -> str:
    return _document_path("projects", instance.project_id)


def _amount_validators():
    return [MinValueValidator(MIN_AMOUNT_MAD), MaxValueValidator(MAX_AMOUNT_MAD)]


def _check_place(instance) -> dict:
    """Province inside the region, commune inside the province: the errors, by field."""
    errors = {}
    if instance.province_id and instance.region_id and instance.province.region_id != instance.region_id:
        errors["province"] = _("This province is not in the chosen region.")
    if instance.commune_id:
        if not instance.province_id:
            errors["commune"] = _("Choose the province of this commune.")
        elif instance.commune.province_id != instance.province_id:
            errors["commune"] = _("This commune is not in the chosen province.")
        elif instance.region_id and instance.commune.region_id != instance.region_id:
            errors["commune"] = _("This commune is not in the chosen region.")
    return errors


class SupportProgramme(LocalizedNameMixin, models.Model):
    """A public or partner support programme (subsidy, loan, guarantee, accompaniment).

    Its eligibility rules are rows of EligibilityRule kept by staff in the admin, evaluated by
    projects.eligibility.evaluate: changing a threshold changes the outcome with no code change.
    """

    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    operator = models.CharField(_("operated by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_programmes",
        help_text=_("Leave empty for a national programme."),
    )
    subsidy_rate_pct = models.DecimalField(
        _("subsidy rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_subsidy_mad = models.PositiveBigIntegerField(_("subsidy cap (MAD)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")

    def __str__(self):
        return self.name


class EligibilityRule(models.Model):
    """One condition of a programme: `<field> <operator> <threshold>`, e.g. amount ≥ 500000."""

    programme = models.ForeignKey(
        SupportProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="rules"
    )
    field = models.CharField(_("project field"), max_length=32, choices=EligibilityField.choices)
    operator = models.CharField(_("operator"), max_length=8, choices=EligibilityOperator.choices)
    threshold = models.CharField(
        _("threshold"),
        max_length=200,
        help_text=_(
            "A number (amounts in MAD, shares in %) or comma-separated codes (region 05, sector C, stage idea)."
        ),
    )

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self):
        return f"{self.get_field_display()} {self.get_operator_display()} {self.threshold}"

    def clean(self):
        problem = threshold_error(field_name=self.field, operator=self.operator, threshold=self.threshold)
        messages = {
            "empty": _("Enter a threshold."),
            "not_a_number": _("This field is compared as a number: enter a number."),
            "codes_on_number": _("A list of codes cannot be used with a numeric field."),
            "order_on_code": _("This field holds codes: use “equal to”, “one of” or “none of”."),
        }
        if problem:
            raise ValidationError({"threshold": messages[problem]})


class Opportunity(models.Model):
    """An investment opportunity posted by a region (its officials or investment centre)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="investment_opportunities"
    )
    province = models.ForeignKey(
        "regions.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        "regions.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.ForeignKey("taxonomy.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    sector_division = models.CharField(
        _("ISIC division"), max_length=2, blank=True, validators=[isic_division_validator]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    language = models.CharField(_("language of the text"), max_length=8, choices=settings.LANGUAGES, default="fr")
    translations = translations_field()
    investment_min_mad = models.PositiveBigIntegerField(_("minimum investment (MAD)"), validators=_amount_validators())
    investment_max_mad = models.PositiveBigIntegerField(_("maximum investment (MAD)"), validators=_amount_validators())
    expected_jobs = models.PositiveIntegerField(
        _("expected jobs"), null=True, blank=True, validators=[MaxValueValidator(MAX_JOBS)]
    )
    land_available = models.BooleanField(_("land available"), default=False)
    premises_available = models.BooleanField(_("premises available"), default=False)
    incentives = models.TextField(_("incentives"), blank=True, max_length=5_000)
    programmes = models.ManyToManyField(
        SupportProgramme, verbose_name=_("support programmes"), blank=True, related_name="opportunities"
    )
    contact_office = models.CharField(_("contact office"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = OpportunityQuerySet.as_manager()

    TRANSLATED_FIELDS = ("title", "description")
    TEXT_LANGUAGE_FIELD = "language"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("investment opportunity")
        verbose_name_plural = _("investment opportunities")
        indexes = [models.Index(fields=["status", "region"], name="opportunity_status_region_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(investment_min_mad__lte=models.F("investment_max_mad")),
                name="opportunity_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OpportunityStatus.values), name="opportunity_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:opportunity_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = _check_place(self)
        if (
            self.investment_min_mad is not None
            and self.investment_max_mad is not None
            and self.investment_min_mad > self.investment_max_mad
        ):
            errors["investment_max_mad"] = _("The maximum must be at least the minimum.")
        if errors:
            raise ValidationError(errors)
        clean_translations(self)


class OpportunityDocument(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=opportunity_document_path,
        max_length=200,
        validators=[project_pdf],
    )
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("opportunity document")
        verbose_name_plural = _("opportunity documents")

    def __str__(self):
        return self.title


class OpportunityInterest(models.Model):
    """A diaspora member said they are interested in an opportunity."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="interests"
    )
    investor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investor"),
        on_delete=models.CASCADE,
        related_name="investment_interests",
    )
    message = models.TextField(_("message"), blank=True, max_length=2_000)
    # The language the investor was using the site in when they wrote the message.
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default=active_language
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interest in an opportunity")
        verbose_name_plural = _("interests in opportunities")
        constraints = [models.UniqueConstraint(fields=["opportunity", "investor"], name="interest_once_per_investor")]

    def __str__(self):
        return f"{self.investor} → {self.opportunity}"


class Project(models.Model):
    """A diaspora member's investment project and where it stands in the shared pipeline.

    `status` changes only through services.project_transition, which writes a ProjectTransition.
    Sector, place, amount and stage are what the matching engine compares with opportunities.
    """

    investor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investor"),
        on_delete=models.CASCADE,
        related_name="investment_projects",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    language = models.CharField(_("language of the text"), max_length=8, choices=settings.LANGUAGES, default="fr")
    sector = models.ForeignKey("taxonomy.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    sector_division = models.CharField(
        _("ISIC division"), max_length=2, blank=True, validators=[isic_division_validator]
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("target region"), on_delete=models.PROTECT, related_name="investment_projects"
    )
    province = models.ForeignKey(
        "regions.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "regions.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("in answer to the opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    amount_mad = models.PositiveBigIntegerField(_("total amount (MAD)"), validators=_amount_validators())
    share_from_abroad_pct = models.PositiveSmallIntegerField(
        _("share financed from abroad (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The part of the amount brought in foreign currency, from 0 to 100 %."),
    )
    own_contribution_mad = models.PositiveBigIntegerField(
        _("own contribution (MAD)"), default=0, validators=[MaxValueValidator(MAX_AMOUNT_MAD)]
    )
    expected_jobs = models.PositiveIntegerField(_("expected jobs"), default=0, validators=[MaxValueValidator(MAX_JOBS)])
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices, default=ProjectStage.IDEA)
    support_needed = models.JSONField(_("support needed"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED, editable=False
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("response due by"), null=True, blank=True, editable=False)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_investment_projects",
        editable=False,
    )
    drop_reason = models.TextField(_("reason for dropping"), blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        indexes = [
            models.Index(fields=["region", "status"], name="project_region_status_idx"),
            models.Index(fields=["status", "due_at"], name="project_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(share_from_abroad_pct__lte=100), name="project_share_max_100"),
            models.CheckConstraint(
                condition=models.Q(own_contribution_mad__lte=models.F("amount_mad")),
                name="project_own_contribution_within_amount",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ProjectStatus.values), name="project_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = _check_place(self)
        if (
            self.amount_mad is not None
            and self.own_contribution_mad is not None
            and self.own_contribution_mad > self.amount_mad
        ):
            errors["own_contribution_mad"] = _("Your own contribution cannot exceed the total amount.")

        unknown = [need for need in self.support_needed or [] if need not in SupportNeed.values]
        if not isinstance(self.support_needed, list) or unknown:
            errors["support_needed"] = _("Choose the support needed from the list.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status not in (ProjectStatus.LAUNCHED, ProjectStatus.DROPPED)

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.due_at < timezone.now())

    def get_support_needed_display(self) -> list[str]:
        return [SupportNeed(need).label for need in self.support_needed if need in SupportNeed.values]


class AppendOnlyModel(models.Model):
    """A row that is written once: no update path (save of an existing row, queryset update)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("This record is part of the history and cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This record is part of the history and cannot be deleted."))


class ProjectTransition(AppendOnlyModel):
    """One step of a project's pipeline: who moved it, when, from which state to which, and why."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=16, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ProjectStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, max_length=5_000)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline history")

    def __str__(self):
        return f"{self.project_id}: {self.from_status or '—'} → {self.to_status}"


class ProjectNote(AppendOnlyModel):
    """An internal note on a project, visible only to officials (never to the investor or partners)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"), max_length=5_000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return self.body[:60]


class ProjectDocument(models.Model):
    """A private PDF attached to a project; streamed only by a permission-checked view."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="documents")
    original_name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=project_document_path, max_length=200, validators=[project_pdf]
    )
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")

    def __str__(self):
        return self.original_name


class ProjectPartner(models.Model):
    """A bank, association or university attached to a project. It sees the project only
    once the investor has consented, and until either side ends the attachment."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="investment_project_links",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    consented_at = models.DateTimeField(_("investor's consent"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [models.UniqueConstraint(fields=["project", "partner"], name="project_partner_once")]

    def __str__(self):
        return f"{self.partner} · {self.project}"

    @property
    def is_active(self) -> bool:
        return self.consented_at is not None and self.ended_at is None


class ProjectDeadlineAlert(models.Model):
    """A reminder or escalation sent for one stage of one project: recorded so it is sent once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deadline_alerts")
    transition = models.ForeignKey(ProjectTransition, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        constraints = [models.UniqueConstraint(fields=["transition", "kind"], name="deadline_alert_once_per_stage")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.project_id}"
