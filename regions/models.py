from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.i18n import LocalizedNameMixin

from .enums import CommuneKind, ProvinceKind
from .querysets import ProvinceQuerySet


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
