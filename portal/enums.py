from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Diaspora member")
    OFFICIAL = "official", _("Regional official")
    COORDINATOR = "coordinator", _("National coordinator")
    PARTNER = "partner", _("Partner organisation user")
    ADMIN = "admin", _("Staff administrator")


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    UNIVERSITY = "university", _("University")
    CONSULATE = "consulate", _("Consulate")
    INVESTMENT_CENTRE = "investment_centre", _("Regional investment centre")
    DONOR = "donor", _("Donor")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Other")
