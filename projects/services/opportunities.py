"""Opportunities: the regions' offers to investors, their documents and investors' interest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.inputs import UNSET, ServiceInput
from portal.models import User
from portal.permissions import can_act_in_region, is_member
from portal.translation import translations_fill_later

from ..enums import OpportunityStatus
from ..models import Opportunity, OpportunityDocument, OpportunityInterest
from ..validators import project_pdf
from .base import clean_note, matching_changed, notify, refuse_unless

if TYPE_CHECKING:
    from regions.models import Commune, Province, Region
    from taxonomy.models import Sector

    from ..models import SupportProgramme


@dataclass(frozen=True)
class OpportunityInput(ServiceInput):
    """The editable fields of an opportunity (forms.OpportunityForm takes its fields from here;
    `translations` from its language groups, `programmes` is the many-to-many set beside the row)."""

    title: str = UNSET
    description: str = UNSET
    language: str = UNSET
    sector: Sector = UNSET
    sector_division: str = UNSET
    region: Region = UNSET
    province: Province | None = UNSET
    commune: Commune | None = UNSET
    investment_min_mad: int | None = UNSET
    investment_max_mad: int | None = UNSET
    expected_jobs: int | None = UNSET
    land_available: bool = UNSET
    premises_available: bool = UNSET
    incentives: str = UNSET
    programmes: list[SupportProgramme] = UNSET
    contact_office: str = UNSET
    contact_email: str = UNSET
    translations: dict = UNSET


@transaction.atomic
def opportunity_create(*, by: User, data: OpportunityInput | Mapping) -> Opportunity:
    """A draft opportunity in a region `by` acts for."""
    data = OpportunityInput.coerce(data).changes()
    programmes = data.pop("programmes", None)
    opportunity = Opportunity(**data, created_by=by)
    refuse_unless(opportunity.region_id is not None and can_act_in_region(by, opportunity.region_id))
    opportunity.full_clean()
    opportunity.save()
    translations_fill_later(opportunity)
    if programmes is not None:
        opportunity.programmes.set(programmes)
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, by: User, data: OpportunityInput | Mapping) -> Opportunity:
    refuse_unless(can_act_in_region(by, opportunity.region_id))
    if opportunity.status == OpportunityStatus.CLOSED:
        raise ValidationError(_("A closed opportunity can no longer be edited."))
    data = OpportunityInput.coerce(data).changes()
    programmes = data.pop("programmes", None)
    for name, value in data.items():
        setattr(opportunity, name, value)
    refuse_unless(can_act_in_region(by, opportunity.region_id))
    opportunity.full_clean()
    opportunity.save()
    translations_fill_later(opportunity)
    if programmes is not None:
        opportunity.programmes.set(programmes)
    if opportunity.status == OpportunityStatus.PUBLISHED:
        matching_changed()
    return opportunity


@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, by: User) -> Opportunity:
    refuse_unless(can_act_in_region(by, opportunity.region_id))
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    opportunity.status = OpportunityStatus.PUBLISHED
    opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "updated_at"])
    matching_changed()
    return opportunity


@transaction.atomic
def opportunity_close(*, opportunity: Opportunity, by: User) -> Opportunity:
    refuse_unless(can_act_in_region(by, opportunity.region_id))
    if opportunity.status == OpportunityStatus.CLOSED:
        raise ValidationError(_("This opportunity is already closed."))
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "closed_at", "updated_at"])
    matching_changed()
    return opportunity


@transaction.atomic
def opportunity_interest_express(*, opportunity: Opportunity, by: User, message: str = "") -> OpportunityInterest:
    """A member's interest in a published opportunity (once; the region is told)."""
    refuse_unless(is_member(by))
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError(_("This opportunity is not open for interest."))
    message = clean_note(message, field="message")
    if len(message) > 2_000:
        raise ValidationError({"message": _("Keep it under 2,000 characters.")})
    interest, created = OpportunityInterest.objects.get_or_create(
        opportunity=opportunity, investor=by, defaults={"message": message}
    )
    if created and opportunity.created_by_id:
        notify(
            user=opportunity.created_by,
            kind="projects.interest",
            template="opportunity_interest",
            refs={"opportunity": opportunity, "interest": interest},
            params={},
            url_name="projects:opportunity_detail",
            pk=opportunity.pk,
        )
    return interest


@transaction.atomic
def opportunity_interest_withdraw(*, opportunity: Opportunity, by: User) -> bool:
    refuse_unless(is_member(by))
    deleted, _counts = OpportunityInterest.objects.filter(opportunity=opportunity, investor=by).delete()
    return bool(deleted)


@transaction.atomic
def opportunity_document_add(*, opportunity: Opportunity, by: User, upload, title: str = "") -> OpportunityDocument:
    refuse_unless(can_act_in_region(by, opportunity.region_id))
    project_pdf(upload)
    title = (title or "").strip()[:200] or (upload.name or "document.pdf")[:200]
    document = OpportunityDocument(opportunity=opportunity, title=title, size=upload.size, uploaded_by=by)
    document.file.save("document.pdf", upload, save=False)
    document.save()
    return document
