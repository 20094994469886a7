from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.enums import EngagementFormat, Language, LanguageLevel, SkillLevel, WorkMode
from portal.i18n import LocalizedNameMixin, active_language
from portal.multilingual import clean_translations, translations_field
from portal.validators import DOCUMENT_KINDS, PdfFile, UploadFile, stored_name

from . import indicators
from .enums import (
    AxisKind,
    CommuneKind,
    FollowUpStatus,
    IndicatorStatus,
    MeetingStatus,
    NeedStatus,
    PartnershipStatus,
    ProvinceKind,
    ReminderKind,
    RoadmapStatus,
    StakeholderKind,
)
from .querysets import (
    DecisionQuerySet,
    MeetingQuerySet,
    NeedQuerySet,
    PartnershipQuerySet,
    ProvinceQuerySet,
    RoadmapQuerySet,
    StakeholderQuerySet,
    StudyQuerySet,
)

# Bounds that forms, the API and the database agree on.
NEED_WEIGHT_MIN, NEED_WEIGHT_MAX = 1, 5
DESCRIPTION_MAX_LENGTH = 20_000
# The largest legitimate uploads: a study's PDF, a roadmap's adopted text or annex.
STUDY_MAX_MB = 20
ROADMAP_DOCUMENT_MAX_MB = 20


class Region(LocalizedNameMixin, models.Model):
    """One of Morocco's 12 regions (HCP code 01–12). Source: HCP, RGPH 2024."""

    code = models.CharField(_("HCP code"), max_length=2, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    is_pilot = models.BooleanField(_("pilot region"), default=False)
    population_2024 = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)
    households_2024 = models.PositiveIntegerField(_("households (2024)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region_detail", kwargs={"code": self.code})


class Province(LocalizedNameMixin, models.Model):
    """A province or prefecture (HCP code such as 05.081)."""

    code = models.CharField(_("HCP code"), max_length=16, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="provinces")
    kind = models.CharField(_("kind"), max_length=32, choices=ProvinceKind.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    population_2024 = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")

    def __str__(self):
        return self.name


class Commune(LocalizedNameMixin, models.Model):
    """One of the 1,503 communes."""

    code = models.CharField(_("HCP code"), max_length=16, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="communes")
    kind = models.CharField(_("kind"), max_length=8, choices=CommuneKind.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    population_2024 = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name


# --- Roadmaps ------------------------------------------------------------------------------


class Roadmap(models.Model):
    """One version of a region's roadmap for the diaspora (draft → adopted → closed).

    A region has at most one adopted version at a time (a partial unique index); adopting a
    new version closes the previous one, which stays readable.
    """

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="roadmaps")
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    text_language = models.CharField(_("language of the text"), max_length=8, choices=Language.choices, default="fr")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=16, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "-version"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="roadmap_unique_version"),
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(status="adopted"), name="roadmap_one_adopted_per_region"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="roadmap_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("regions:roadmap_detail", kwargs={"code": self.region.code, "version": self.version})


class RoadmapAxis(models.Model):
    """A strategic axis of a roadmap; needs, decisions, partnerships and studies hang from it."""

    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="axes")
    kind = models.CharField(_("kind"), max_length=32, choices=AxisKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    text_language = models.CharField(
        _("language of the text"), max_length=8, choices=Language.choices, default=active_language
    )
    translations = translations_field()
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    TRANSLATED_FIELDS = ("title", "description")
    TEXT_LANGUAGE_FIELD = "text_language"

    class Meta:
        ordering = ["roadmap", "position", "pk"]
        verbose_name = _("roadmap axis")
        verbose_name_plural = _("roadmap axes")

    def __str__(self):
        return self.title

    def clean(self):
        clean_translations(self)


def roadmap_document_path(instance, filename: str) -> str:
    return stored_name(f"regions/roadmaps/{instance.roadmap_id}", filename)


class RoadmapDocument(models.Model):
    """A file or a link attached to a roadmap (the adopted text, a council deliberation…)."""

    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default="fr")
    file = models.FileField(
        _("file"),
        upload_to=roadmap_document_path,
        blank=True,
        validators=[UploadFile(max_mb=ROADMAP_DOCUMENT_MAX_MB, kinds=DOCUMENT_KINDS)],
    )
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["roadmap", "pk"]
        verbose_name = _("roadmap document")
        verbose_name_plural = _("roadmap documents")

    def __str__(self):
        return self.title


# --- Needs ---------------------------------------------------------------------------------


class Need(models.Model):
    """A concrete roadmap item that diaspora experts can answer.

    `region` repeats `roadmap.region` so that scoping and public lists filter on one column.
    `end_date` is `start_date + duration_days`, kept in a column for the expiry task. Status
    moves only through regions.services.need_transition (enums.NEED_TRANSITIONS).
    """

    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.PROTECT, related_name="needs")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="needs")
    axis = models.ForeignKey(RoadmapAxis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="needs")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    text_language = models.CharField(_("language of the text"), max_length=8, choices=Language.choices, default="fr")
    translations = translations_field()
    sector = models.ForeignKey(
        "taxonomy.Sector",
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
    )
    format = models.CharField(_("engagement format"), max_length=32, choices=EngagementFormat.choices)
    work_mode = models.CharField(_("remote or on site"), max_length=16, choices=WorkMode.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True, related_name="needs"
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="needs"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(
        _("duration (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, editable=False)
    experts_wanted = models.PositiveSmallIntegerField(
        _("experts wanted"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_needs"
    )
    status = models.CharField(_("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.DRAFT)
    response_deadline = models.DateField(
        _("response deadline"),
        null=True,
        blank=True,
        help_text=_("By this date the owner answers the candidates."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    TRANSLATED_FIELDS = ("title", "description")
    TEXT_LANGUAGE_FIELD = "text_language"

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["region", "status"], name="need_region_status_idx"),
            models.Index(fields=["status", "end_date"], name="need_status_end_idx"),
            models.Index(fields=["status", "response_deadline"], name="need_status_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(experts_wanted__gte=1) & models.Q(experts_wanted__lte=100),
                name="need_experts_wanted_range",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__isnull=True) | models.Q(duration_days__gte=1),
                name="need_duration_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived columns, kept true whoever saves (service, admin, fixtures).
        if self.roadmap_id:
            self.region_id = self.roadmap.region_id
        self.end_date = (
            self.start_date + timedelta(days=self.duration_days) if self.start_date and self.duration_days else None
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("regions:need_detail", kwargs={"code": self.region.code, "pk": self.pk})

    def clean(self):
        clean_translations(self)


class NeedSkill(models.Model):
    """A skill a need requires. `weight` is an integer from 1 (nice to have) to 5 (central);
    `essential` marks skills without which a candidate is not considered."""

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("skill"), on_delete=models.PROTECT, related_name="need_links"
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=3,
        validators=[MinValueValidator(NEED_WEIGHT_MIN), MaxValueValidator(NEED_WEIGHT_MAX)],
        help_text=_("From 1 (useful) to 5 (central)."),
    )
    essential = models.BooleanField(_("essential"), default=False)
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), choices=SkillLevel.choices, default=SkillLevel.INTERMEDIATE
    )

    class Meta:
        ordering = ["need", "-essential", "-weight", "pk"]
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")
        constraints = [
            models.UniqueConstraint(fields=["need", "skill"], name="needskill_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=NEED_WEIGHT_MIN) & models.Q(weight__lte=NEED_WEIGHT_MAX),
                name="needskill_weight_range",
            ),
        ]

    def __str__(self):
        return f"{self.need_id} – {self.skill_id}"


class NeedLanguage(models.Model):
    """A language a need requires, with the minimum CEFR level."""

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), choices=LanguageLevel.choices, default=LanguageLevel.B2
    )

    class Meta:
        ordering = ["need", "pk"]
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")
        constraints = [models.UniqueConstraint(fields=["need", "language"], name="needlanguage_unique")]

    def __str__(self):
        return f"{self.need_id} – {self.language}"


class NeedInterest(models.Model):
    """A diaspora member said "I can help" on an open need (personal data: user, message)."""

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="need_interests"
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    # The language the member was using the site in when they wrote the message.
    language = models.CharField(
        _("language of the text"), max_length=8, choices=Language.choices, default=active_language
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="needinterest_unique")]

    def __str__(self):
        return f"{self.user_id} → {self.need_id}"


class NeedReminder(models.Model):
    """A reminder or escalation already sent: the unique row makes the beat task idempotent.

    `deadline` is the response deadline the reminder was about, so moving the deadline
    allows a new reminder for the new date.
    """

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=32, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("need reminder")
        verbose_name_plural = _("need reminders")
        constraints = [
            models.UniqueConstraint(fields=["need", "kind", "recipient", "deadline"], name="needreminder_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.need_id} → {self.recipient_id}"


# --- Stakeholders and consultation ---------------------------------------------------------


class Stakeholder(models.Model):
    """An institution, association, university, company or partner active in a region."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=StakeholderKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="MA")
    partner = models.ForeignKey(
        "portal.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholders",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["region", "kind", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="stakeholder_unique_name")]

    def __str__(self):
        return self.name


class ConsultationMeeting(models.Model):
    """A meeting of the regional consultation mechanism: agenda before, minutes after."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="meetings")
    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    minutes = models.TextField(_("minutes"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    text_language = models.CharField(_("language of the text"), max_length=8, choices=Language.choices, default="fr")
    translations = translations_field()
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    stakeholders = models.ManyToManyField(
        Stakeholder, verbose_name=_("participating stakeholders"), blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    # The public summary (title and agenda) may be given in the portal's other languages.
    TRANSLATED_FIELDS = ("title", "agenda")
    TEXT_LANGUAGE_FIELD = "text_language"

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="meeting_times_ordered")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("regions:meeting_detail", kwargs={"code": self.region.code, "pk": self.pk})

    def clean(self):
        clean_translations(self)


class MeetingParticipant(models.Model):
    """Someone who takes part in a meeting (personal data: name, and user if they have an account)."""

    meeting = models.ForeignKey(
        ConsultationMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participations",
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name


class Decision(models.Model):
    """A decision taken in a meeting, linked to a roadmap axis or a need, with an owner and a follow-up."""

    meeting = models.ForeignKey(
        ConsultationMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="decisions")
    title = models.CharField(_("decision"), max_length=300)
    description = models.TextField(_("details"), blank=True, max_length=5000)
    axis = models.ForeignKey(
        RoadmapAxis, verbose_name=_("axis"), on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_decisions",
    )
    owner_label = models.CharField(
        _("responsible body"), max_length=200, blank=True, help_text=_("When the owner has no account.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    follow_up_status = models.CharField(
        _("follow-up status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.title


# --- Civil society and research ------------------------------------------------------------


class Partnership(models.Model):
    """An agreement between the region and one or more associations (civil society)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="partnerships")
    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"), max_length=5000)
    partners = models.ManyToManyField(Stakeholder, verbose_name=_("partners"), related_name="partnerships")
    axes = models.ManyToManyField(RoadmapAxis, verbose_name=_("axes"), blank=True, related_name="partnerships")
    needs = models.ManyToManyField(Need, verbose_name=_("needs"), blank=True, related_name="partnerships")
    budget_mad = models.DecimalField(
        _("budget (MAD)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.NEGOTIATION
    )
    results = models.TextField(_("reported results"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-start_date", "pk"]
        verbose_name = _("civil-society partnership")
        verbose_name_plural = _("civil-society partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_period_ordered",
            )
        ]

    def __str__(self):
        return self.title


def study_file_path(instance, filename: str) -> str:
    return stored_name("regions/studies", filename)


class Study(models.Model):
    """A study from Moroccan–European university cooperation, linked to regions and roadmap items."""

    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=500)
    institutions = models.CharField(_("institutions"), max_length=500, blank=True)
    countries = models.CharField(
        _("countries"), max_length=100, blank=True, help_text=_("ISO codes, comma-separated (e.g. MA,BE,FR).")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)])
    abstract = models.TextField(_("abstract"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default="fr")
    translations = translations_field()
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("PDF"), upload_to=study_file_path, blank=True, validators=[PdfFile(max_mb=STUDY_MAX_MB)])
    regions = models.ManyToManyField(Region, verbose_name=_("regions covered"), blank=True, related_name="studies")
    axes = models.ManyToManyField(RoadmapAxis, verbose_name=_("axes"), blank=True, related_name="studies")
    needs = models.ManyToManyField(Need, verbose_name=_("needs"), blank=True, related_name="studies")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StudyQuerySet.as_manager()

    TRANSLATED_FIELDS = ("title", "abstract")
    TEXT_LANGUAGE_FIELD = "language"

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("regions:study_detail", kwargs={"pk": self.pk})

    def clean(self):
        clean_translations(self)


# --- Indicators ----------------------------------------------------------------------------


class Indicator(models.Model):
    """A published migration figure, national (`region` empty) or regional, with its source.

    Never an invented number: a region without an official figure simply has no row, and the
    page says so.
    """

    key = models.CharField(_("indicator"), max_length=64)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("Empty for a national figure."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=32)
    source = models.CharField(_("source"), max_length=500)
    status = models.CharField(_("status"), max_length=16, choices=IndicatorStatus.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key", "region", "-year"]
        verbose_name = _("migration indicator")
        verbose_name_plural = _("migration indicators")
        constraints = [
            # Two partial indexes rather than NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(
                fields=["key", "year"], condition=models.Q(region__isnull=True), name="indicator_unique_national"
            ),
            models.UniqueConstraint(
                fields=["key", "region", "year"],
                condition=models.Q(region__isnull=False),
                name="indicator_unique_regional",
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.region_id or 'MA'} {self.year}"

    @property
    def value_display(self) -> str:
        """The value as published: no trailing zeros, no exponent (5100000, 115.3, 86.4)."""
        return f"{self.value.normalize():f}" if self.value is not None else ""

    @property
    def value_with_unit(self) -> str:
        """The value in the reader's number format with its translated unit (86,4 %)."""
        return indicators.value_with_unit(self.value, self.unit)

    @property
    def source_display(self) -> str:
        return indicators.source_label(self.source)

    @property
    def label(self) -> str:
        return indicators.indicator_label(self.key)
