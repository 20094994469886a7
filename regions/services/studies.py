"""The library of studies."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.inputs import UNSET, ServiceInput
from portal.permissions import can_act_in_region, is_national, is_official
from portal.translation import translations_fill_later

from ..models import Need, Region, RoadmapAxis, Study
from .base import assign, full_clean


@dataclass(frozen=True)
class StudyInput(ServiceInput):
    """The editable fields of a study (forms.StudyForm; `translations` from its language groups).
    A link left out (`regions`, `axes`, `needs`) keeps the study's; `file` left out keeps its PDF."""

    title: str = UNSET
    authors: str = UNSET
    institutions: str = UNSET
    countries: str = UNSET
    year: int = UNSET
    abstract: str = UNSET
    language: str = UNSET
    url: str = UNSET
    file: File | None = UNSET
    regions: Sequence[Region] = UNSET
    axes: Sequence[RoadmapAxis] = UNSET
    needs: Sequence[Need] = UNSET
    translations: dict = UNSET


@transaction.atomic
def study_save(
    *,
    by,
    data: StudyInput | Mapping,
    study: Study | None = None,
    regions: Sequence[Region] = UNSET,
    axes: Sequence[RoadmapAxis] = UNSET,
    needs: Sequence[Need] = UNSET,
) -> Study:
    """A study of the library. Officials file studies on their own regions; coordinators on any.

    `regions=`, `axes=`, `needs=` are the same as the input's fields (kept for older callers); a
    link left out keeps the study's."""
    values = StudyInput.coerce(data, regions=regions, axes=axes, needs=needs).changes()
    links = {name: list(values.pop(name)) if name in values else None for name in ("regions", "axes", "needs")}
    regions, axes, needs = (links[name] or [] for name in ("regions", "axes", "needs"))
    if not (is_official(by) or is_national(by)):
        raise PermissionDenied(_("You cannot act for this region."))
    touched = {r.pk for r in regions} | {a.roadmap.region_id for a in axes} | {n.region_id for n in needs}
    if study is not None:
        touched |= set(study.regions.values_list("pk", flat=True))
    if not is_national(by) and (not touched or not all(can_act_in_region(by, pk) for pk in touched)):
        raise PermissionDenied(_("You cannot act for this region."))
    study = study or Study()
    assign(study, values)
    if study.countries:
        codes = [c.strip().upper() for c in study.countries.split(",") if c.strip()]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            raise ValidationError({"countries": [_("Give two-letter ISO country codes separated by commas.")]})
        study.countries = ",".join(codes)
    full_clean(study)
    study.save()
    translations_fill_later(study)
    for name, objects in links.items():
        if objects is not None:
            getattr(study, name).set(objects)
    return study
