from django.db import models
from django.utils.translation import gettext_lazy as _


class ConceptType(models.TextChoices):
    SKILL = "skill", _("Skill or knowledge")
    GROUP = "group", _("Skill group")


class SkillType(models.TextChoices):
    SKILL = "skill/competence", _("Skill or competence")
    KNOWLEDGE = "knowledge", _("Knowledge")
    GROUP = "group", _("Group")
    OTHER = "", _("Unspecified")


class LabelKind(models.TextChoices):
    PREFERRED = "preferred", _("Preferred label")
    ALTERNATIVE = "alt", _("Alternative label")
