from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.i18n import pick

from .enums import ConceptType, LabelKind, SkillType


class Sector(models.Model):
    """An ISIC Rev.4 / NACE Rev.2 section (A–U)."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def name(self) -> str:
        return pick({"ar": self.name_ar, "fr": self.name_fr, "en": self.name_en})


class Skill(models.Model):
    """An ESCO-compatible concept: a skill, a knowledge item, or a group of them.

    `labels` holds the preferred label per language ({"en": …, "fr": …}); all labels,
    alternative ones included, are rows of SkillLabel for search.
    """

    uri = models.CharField(_("concept URI"), max_length=255, unique=True)
    concept_type = models.CharField(_("concept type"), max_length=8, choices=ConceptType.choices)
    skill_type = models.CharField(_("skill type"), max_length=32, choices=SkillType.choices, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=32, blank=True)
    labels = models.JSONField(_("preferred labels"), default=dict)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.SET_NULL, null=True, blank=True, related_name="skills"
    )
    broader = models.ManyToManyField(
        "self",
        verbose_name=_("broader concepts"),
        symmetrical=False,
        related_name="narrower",
        through="SkillRelation",
        blank=True,
    )

    class Meta:
        ordering = ["uri"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return pick(self.labels)

    @property
    def description(self) -> str:
        return pick(self.descriptions)


class SkillRelation(models.Model):
    """`narrower` is a narrower concept of `broader` (ESCO broaderRelationsSkillPillar)."""

    narrower = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="broader_links")
    broader = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="narrower_links")

    class Meta:
        verbose_name = _("skill relation")
        verbose_name_plural = _("skill relations")
        constraints = [models.UniqueConstraint(fields=["narrower", "broader"], name="skillrelation_unique")]

    def __str__(self):
        return f"{self.narrower_id} → {self.broader_id}"


class SkillLabel(models.Model):
    """One searchable label of a skill, in one language."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="all_labels")
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=10, choices=LabelKind.choices)
    text = models.CharField(_("label"), max_length=500)
    folded = models.CharField(max_length=500, db_index=True)
    # Filled on PostgreSQL only (taxonomy.services.skill_labels_index), with the label's
    # own language configuration; NULL on SQLite, where search falls back to `folded`.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("skill label")
        verbose_name_plural = _("skill labels")
        constraints = [models.UniqueConstraint(fields=["skill", "language", "kind", "text"], name="skilllabel_unique")]

    def __str__(self):
        return f"{self.text} ({self.language})"
