"""Roadmaps: versions, their adoption and closing, axes and documents."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.inputs import UNSET, ServiceInput
from portal.translation import translations_fill_later

from ..enums import AxisKind, RoadmapStatus
from ..models import Region, Roadmap, RoadmapAxis, RoadmapDocument
from .base import assign, full_clean, require_scope


@dataclass(frozen=True)
class RoadmapInput(ServiceInput):
    """The editable fields of a roadmap version (forms.RoadmapForm shows them all)."""

    title: str = UNSET
    summary: str = UNSET
    text_language: str = UNSET
    period_start: date | None = UNSET
    period_end: date | None = UNSET


@dataclass(frozen=True)
class AxisInput(ServiceInput):
    """The editable fields of an axis (forms.AxisForm; `translations` from its language groups)."""

    kind: str = UNSET
    text_language: str = UNSET
    title: str = UNSET
    description: str = UNSET
    position: int = UNSET
    translations: dict = UNSET


PORTAL_LANGUAGES = ("ar", "fr", "en")


def _label_in(label, language: str) -> str:
    with translation.override(language):
        return str(label)


DEFAULT_AXES = (
    (AxisKind.DIASPORA_SKILLS, AxisKind.DIASPORA_SKILLS.label),
    (AxisKind.DIASPORA_INVESTMENT, AxisKind.DIASPORA_INVESTMENT.label),
    (AxisKind.MIGRATION_GOVERNANCE, AxisKind.MIGRATION_GOVERNANCE.label),
)


def _check_period(start, end) -> None:
    if start and end and end < start:
        raise ValidationError({"period_end": _("The end date is before the start date.")})


@transaction.atomic
def roadmap_create(*, region: Region, by, data: RoadmapInput | Mapping, default_axes: bool = True) -> Roadmap:
    """A new draft version of `region`'s roadmap (version = last + 1), with the three standard
    axes titled in the roadmap's language unless `default_axes` is False."""
    require_scope(by, region.pk)
    Region.objects.select_for_update().filter(pk=region.pk).first()  # serialises version numbers
    last = Roadmap.objects.filter(region=region).aggregate(last=Max("version"))["last"] or 0
    roadmap = Roadmap(region=region, version=last + 1, created_by=by)
    assign(roadmap, RoadmapInput.coerce(data).changes())
    _check_period(roadmap.period_start, roadmap.period_end)
    full_clean(roadmap)
    roadmap.save()
    if default_axes:
        own = roadmap.text_language if roadmap.text_language in PORTAL_LANGUAGES else "fr"
        with translation.override(own):
            RoadmapAxis.objects.bulk_create(
                RoadmapAxis(
                    roadmap=roadmap,
                    kind=kind,
                    title=str(label),
                    text_language=own,
                    # Our own labels: readers of the other languages get them in theirs.
                    translations={code: {"title": _label_in(label, code)} for code in PORTAL_LANGUAGES if code != own},
                    position=i,
                )
                for i, (kind, label) in enumerate(DEFAULT_AXES)
            )
    return roadmap


@transaction.atomic
def roadmap_update(*, roadmap: Roadmap, by, data: RoadmapInput | Mapping) -> Roadmap:
    require_scope(by, roadmap.region_id)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status == RoadmapStatus.CLOSED:
        raise ValidationError(_("A closed roadmap can no longer be changed; start a new version."))
    assign(roadmap, RoadmapInput.coerce(data).changes())
    _check_period(roadmap.period_start, roadmap.period_end)
    full_clean(roadmap)
    roadmap.save()
    return roadmap


@transaction.atomic
def roadmap_new_version(*, roadmap: Roadmap, by) -> Roadmap:
    """A draft copy of `roadmap` (text and axes) to prepare the next version."""
    new = roadmap_create(
        region=roadmap.region,
        by=by,
        data=RoadmapInput.from_instance(roadmap),
        default_axes=False,
    )
    RoadmapAxis.objects.bulk_create(
        RoadmapAxis(
            roadmap=new,
            kind=a.kind,
            title=a.title,
            description=a.description,
            text_language=a.text_language,
            translations=a.translations,
            position=a.position,
        )
        for a in roadmap.axes.all()
    )
    return new


@transaction.atomic
def roadmap_adopt(*, roadmap: Roadmap, by, adopted_on: date | None = None) -> Roadmap:
    """Adopt a draft version; the region's previously adopted version is closed (kept readable)."""
    require_scope(by, roadmap.region_id)
    Region.objects.select_for_update().filter(pk=roadmap.region_id).first()
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != RoadmapStatus.DRAFT:
        raise ValidationError(_("Only a draft roadmap can be adopted."))
    if not roadmap.axes.exists():
        raise ValidationError(_("A roadmap needs at least one axis before it is adopted."))
    today = timezone.localdate()
    Roadmap.objects.filter(region_id=roadmap.region_id, status=RoadmapStatus.ADOPTED).update(
        status=RoadmapStatus.CLOSED, closed_on=today
    )
    roadmap.status = RoadmapStatus.ADOPTED
    roadmap.adopted_on = adopted_on or today
    roadmap.save(update_fields=["status", "adopted_on", "updated_at"])
    return roadmap


@transaction.atomic
def roadmap_close(*, roadmap: Roadmap, by) -> Roadmap:
    require_scope(by, roadmap.region_id)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != RoadmapStatus.ADOPTED:
        raise ValidationError(_("Only an adopted roadmap can be closed."))
    roadmap.status = RoadmapStatus.CLOSED
    roadmap.closed_on = timezone.localdate()
    roadmap.save(update_fields=["status", "closed_on", "updated_at"])
    return roadmap


@transaction.atomic
def axis_save(*, roadmap: Roadmap, by, data: AxisInput | Mapping, axis: RoadmapAxis | None = None) -> RoadmapAxis:
    require_scope(by, roadmap.region_id)
    if roadmap.status == RoadmapStatus.CLOSED:
        raise ValidationError(_("A closed roadmap can no longer be changed; start a new version."))
    if axis is not None and axis.roadmap_id != roadmap.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    axis = axis or RoadmapAxis(roadmap=roadmap)
    assign(axis, AxisInput.coerce(data).changes())
    full_clean(axis)
    axis.save()
    translations_fill_later(axis)
    return axis


@transaction.atomic
def roadmap_document_add(
    *, roadmap: Roadmap, by, title: str, language: str, file=None, url: str = ""
) -> RoadmapDocument:
    require_scope(by, roadmap.region_id)
    if not file and not url:
        raise ValidationError(_("Attach a file or give a link."))
    document = RoadmapDocument(roadmap=roadmap, title=title, language=language, url=url)
    if file:
        document.file = file
    full_clean(document)
    document.save()
    return document
