from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import OpenDataTable


class RegionShape(models.Model):
    """A region's outline as a simplified SVG path, projected into one shared view box.

    Derived from the OpenStreetMap TopoJSON (ODbL) by `manage.py load_region_shapes PATH`;
    the file itself never enters the repository. Every page showing the map credits
    "© OpenStreetMap contributors (ODbL)".
    """

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="shape"
    )
    path = models.TextField(_("SVG path"))
    view_box = models.CharField(_("SVG view box"), max_length=64)
    label_x = models.FloatField(_("label position (x)"), default=0)
    label_y = models.FloatField(_("label position (y)"), default=0)
    source = models.CharField(_("source"), max_length=200, default="© OpenStreetMap contributors (ODbL)")
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["region__code"]
        verbose_name = _("region shape")
        verbose_name_plural = _("region shapes")

    def __str__(self):
        return str(self.region)


class OpenDataSnapshot(models.Model):
    """The latest published version of one open-data table, already protected.

    Written only by dashboards.services.open_data_refresh (an upsert on `table`), so the
    public page and the API serve what was computed, never raw rows.
    """

    table = models.CharField(_("table"), max_length=48, choices=OpenDataTable.choices, unique=True)
    columns = models.JSONField(_("columns"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    suppressed = models.PositiveIntegerField(_("hidden entries"), default=0)
    refreshed_at = models.DateTimeField(_("last updated"))

    class Meta:
        ordering = ["table"]
        verbose_name = _("open-data snapshot")
        verbose_name_plural = _("open-data snapshots")

    def __str__(self):
        return self.get_table_display()
