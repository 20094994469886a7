from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataTable(models.TextChoices):
    EXPERTS_REGION_SECTOR = "experts-by-region-sector", _("Experts by region of origin and sector")
    EXPERTS_COUNTRY_REGION = "experts-by-country-region", _("Experts by country of residence and region of origin")
    NEEDS_REGION_AXIS_STATUS = "needs-by-region-axis-status", _("Roadmap needs by region, axis and status")
    FUNNEL_REGION = "funnel-by-region", _("Matching funnel by region")
    INVESTMENT_REGION_STAGE = "investment-by-region-stage", _("Diaspora investment projects by region and stage")


class Period(models.TextChoices):
    ALL = "all", _("All time")
    LAST_12 = "12m", _("Last 12 months")
    LAST_24 = "24m", _("Last 24 months")
    THIS_YEAR = "year", _("This calendar year")
