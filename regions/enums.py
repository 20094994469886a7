from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = "prefecture_of_arrondissements", _("Prefecture of arrondissements")


class CommuneKind(models.TextChoices):
    URBAN = "urban", _("Urban commune")
    RURAL = "rural", _("Rural commune")
