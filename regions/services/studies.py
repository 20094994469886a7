"""The library of studies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.permissions import can_act_in_region, is_national, is_official
from portal.translation import translations_fill_later

from ..models import Study
from .base import assign, full_clean

STUDY_FIELDS = (
    "title",
    "authors",
    "institutions",
    "countries",
    "year",
    "abstract",
    "language",
    "translations",
    "url",
    "file",
)


@transaction.atomic
def study_save(*, by, data: dict, regions=(), axes=(), needs=(), study: Study | None = None) -> Study:
    """A study of the library. Officials file studies on their own regions; coordinators on any."""
    regions, axes, needs = list(regions), list(axes), list(needs)
    if not (is_official(by) or is_national(by)):
        raise PermissionDenied(_("You cannot act for this region."))
    touched = {r.pk for r in regions} | {a.roadmap.region_id for a in axes} | {n.region_id for n in needs}
    if study is not None:
        touched |= set(study.regions.values_list("pk", flat=True))
    if not is_national(by) and (not touched or not all(can_act_in_region(by, pk) for pk in touched)):
        raise PermissionDenied(_("You cannot act for this region."))
    study = study or Study()
    assign(study, data, STUDY_FIELDS)
    if study.countries:
        codes = [c.strip().upper() for c in study.countries.split(",") if c.strip()]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            raise ValidationError({"countries": [_("Give two-letter ISO country codes separated by commas.")]})
        study.countries = ",".join(codes)
    full_clean(study)
    study.save()
    translations_fill_later(study)
    study.regions.set(regions)
    study.axes.set(axes)
    study.needs.set(needs)
    return study
