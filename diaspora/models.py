import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.enums import EngagementFormat, Language, LanguageLevel, Role, SkillLevel, WorkMode
from portal.validators import PdfFile

from .enums import CONSENT_COLUMNS, ConsentPurpose, ReadCategory, ReadPurpose
from .querysets import AssociationQuerySet, ExpertProfileQuerySet
from .storage import private_storage

CV_MAX_MB = 5
cv_pdf = PdfFile(max_mb=CV_MAX_MB)


def cv_upload_to(instance, filename: str) -> str:
    # Never the uploaded name (it may carry personal data or path tricks): a random name.
    return f"cv/{uuid.uuid4().hex}.pdf"


class ExpertProfile(models.Model):
    """What a diaspora member knows and is willing to give. Contact details (the user's e-mail,
    `phone`) are never shown to officials or partners: see diaspora/selectors.py."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    country_of_residence = CountryField(_("country of residence"))
    city = models.CharField(_("city of residence"), max_length=120, blank=True)
    origin_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region of origin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diaspora_experts",
    )
    origin_province = models.ForeignKey(
        "regions.Province",
        verbose_name=_("province of origin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diaspora_experts",
    )
    origin_commune = models.ForeignKey(
        "regions.Commune",
        verbose_name=_("commune of origin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diaspora_experts",
    )
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    sectors = models.ManyToManyField(
        "taxonomy.Sector", verbose_name=_("sectors"), blank=True, related_name="diaspora_experts"
    )
    work_mode = models.CharField(_("work mode"), max_length=16, choices=WorkMode.choices, default=WorkMode.BOTH)
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month"), default=0, validators=[MaxValueValidator(200)]
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    cv = models.FileField(
        _("CV (PDF)"), upload_to=cv_upload_to, storage=private_storage, blank=True, validators=[cv_pdf]
    )

    # Current consent state, one column per purpose, written only by
    # diaspora.services.consent_set together with a ConsentRecord (the proof).
    consent_matching = models.BooleanField(_("consents to matching"), default=False, editable=False)
    consent_contact = models.BooleanField(_("consents to be contacted"), default=False, editable=False)
    consent_partner_sharing = models.BooleanField(_("consents to partner sharing"), default=False, editable=False)
    consent_statistics = models.BooleanField(_("consents to statistics"), default=False, editable=False)
    consent_public_contributions = models.BooleanField(
        _("shows their contributions publicly"), default=False, db_default=False, editable=False
    )

    is_active = models.BooleanField(_("active"), default=True)
    # Indexed: the freshness sweep and the partners' expert list order and filter on it.
    confirmed_at = models.DateTimeField(_("last confirmed"), default=timezone.now, db_index=True)
    is_stale = models.BooleanField(_("stale"), default=False, editable=False)
    stale_reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExpertProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at", "pk"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        indexes = [
            models.Index(fields=["consent_matching", "is_active", "confirmed_at"], name="expert_matchable_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_from__isnull=True)
                | models.Q(available_until__gte=models.F("available_from")),
                name="expert_availability_order",
            ),
        ]

    def __str__(self):
        return self.display_name

    # No get_absolute_url: a profile has no public page (the admin must not offer "view on site").

    def clean(self):
        if self.available_from and self.available_until and self.available_until < self.available_from:
            raise ValidationError({"available_until": _("The end of availability must follow its start.")})

    def consent(self, purpose: str) -> bool:
        return getattr(self, CONSENT_COLUMNS[purpose])


class ExpertSkill(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("skill"), on_delete=models.PROTECT, related_name="expert_skills"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices, default=SkillLevel.INTERMEDIATE)
    years = models.PositiveSmallIntegerField(_("years of practice"), default=0, validators=[MaxValueValidator(70)])

    class Meta:
        ordering = ["-level", "-years", "pk"]
        verbose_name = _("expert skill")
        verbose_name_plural = _("expert skills")
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="expertskill_unique")]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"


class ExpertLanguage(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LanguageLevel.choices, default=LanguageLevel.B2)

    class Meta:
        ordering = ["-level", "language"]
        verbose_name = _("expert language")
        verbose_name_plural = _("expert languages")
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="expertlanguage_unique")]

    def __str__(self):
        return f"{self.get_language_display()} ({self.get_level_display()})"


class ExpertFormat(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="formats"
    )
    format = models.CharField(_("engagement format"), max_length=32, choices=EngagementFormat.choices)

    class Meta:
        ordering = ["format"]
        verbose_name = _("engagement format offered")
        verbose_name_plural = _("engagement formats offered")
        constraints = [models.UniqueConstraint(fields=["profile", "format"], name="expertformat_unique")]

    def __str__(self):
        return self.get_format_display()


class WorkExperience(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="experiences"
    )
    title = models.CharField(_("job title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("from (year)"), validators=[MinValueValidator(1940)])
    end_year = models.PositiveSmallIntegerField(_("to (year)"), null=True, blank=True, help_text=_("Empty if current."))
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-start_year", "pk"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")

    def __str__(self):
        return self.title


class Education(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="education"
    )
    degree = models.CharField(_("degree"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    field = models.CharField(_("field of study"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    year = models.PositiveSmallIntegerField(_("year obtained"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("education")
        verbose_name_plural = _("education")

    def __str__(self):
        return self.degree


class ConsentRecord(models.Model):
    """One grant or withdrawal, as proof (GDPR art. 7(1)). Append-only: never updated."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("consent text version"), max_length=32)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["user", "purpose", "-recorded_at"], name="consent_latest_idx")]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.granted}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Consent records are append-only.")
        super().save(*args, **kwargs)


class Association(models.Model):
    """A diaspora association (civil society partner), listed publicly."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)
    focus_sectors = models.ManyToManyField(
        "taxonomy.Sector", verbose_name=_("focus sectors"), blank=True, related_name="diaspora_associations"
    )
    origin_regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions of origin"), blank=True, related_name="diaspora_associations"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        through="AssociationMembership",
        blank=True,
        related_name="diaspora_associations",
    )
    is_active = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("diaspora:association_detail", kwargs={"pk": self.pk})


class AssociationMembership(models.Model):
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="association_memberships",
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        ordering = ["-joined_at"]
        verbose_name = _("association membership")
        verbose_name_plural = _("association memberships")
        constraints = [models.UniqueConstraint(fields=["association", "user"], name="associationmembership_unique")]

    def __str__(self):
        return f"{self.user_id} → {self.association_id}"


class AnonymousExpertTrace(models.Model):
    """What statistics keep of an erased profile whose owner consented to statistics:
    coarse, with no link to any person (no id, no name, month precision)."""

    country_of_residence = CountryField(_("country of residence"))
    origin_region = models.ForeignKey(
        "regions.Region", verbose_name=_("region of origin"), on_delete=models.SET_NULL, null=True, blank=True
    )
    registered_month = models.DateField(_("registered (month)"))
    erased_month = models.DateField(_("erased (month)"))
    sector_codes = models.CharField(_("sectors"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("anonymous expert trace")
        verbose_name_plural = _("anonymous expert traces")

    def __str__(self):
        return f"{self.country_of_residence} {self.registered_month:%Y-%m}"


class ErasureLog(models.Model):
    """Ids of erased accounts, so that erasure can be replayed after a backup is restored
    (`manage.py replay_erasures`). Holds ids only: nothing that identifies a person."""

    user_id = models.BigIntegerField(_("user id"), db_index=True)
    profile_id = models.BigIntegerField(_("profile id"), null=True, blank=True)
    # Tells the erased account from a later one given the same id after a restore.
    user_joined_at = models.DateTimeField(_("account created at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    replayed_at = models.DateTimeField(_("last replayed"), null=True, blank=True)

    class Meta:
        ordering = ["erased_at", "pk"]
        verbose_name = _("erasure log entry")
        verbose_name_plural = _("erasure log")

    def __str__(self):
        return f"user {self.user_id} erased {self.erased_at:%Y-%m-%d}"


class ProfileRead(models.Model):
    """One read of an identified expert's personal data by someone else: who (a user, or a
    partner organisation through its API token), what (category), when and why. Append-only,
    written in bulk by diaspora.access_log; shown to the expert in the privacy centre."""

    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("expert profile"), on_delete=models.CASCADE, related_name="reads"
    )
    # Blanked when the reader's own account is erased; the role and organisation stay.
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reader_role = models.CharField(_("reader's role"), max_length=16, choices=Role.choices)
    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("data read"), max_length=16, choices=ReadCategory.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=ReadPurpose.choices)
    need = models.ForeignKey(
        "regions.Need", verbose_name=_("need"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("profile read")
        verbose_name_plural = _("profile reads")
        indexes = [models.Index(fields=["profile", "-read_at"], name="diaspora_read_profile_idx")]

    def __str__(self):
        return f"{self.profile_id} {self.category} {self.read_at:%Y-%m-%d %H:%M}"


class EmailVerification(models.Model):
    """Whether a self-registered account has proved its e-mail address. Accounts created by
    staff (officials, coordinators, partners) have no row and are treated as verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="email_verification"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail verification")
        verbose_name_plural = _("e-mail verifications")

    def __str__(self):
        return f"{self.user_id}: {self.verified_at or '-'}"
