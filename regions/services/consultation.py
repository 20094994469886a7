"""Consultation: stakeholders, meetings and their participants, decisions, partnerships."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.inputs import UNSET, ServiceInput
from portal.translation import translations_fill_later

from ..models import (
    ConsultationMeeting,
    Decision,
    MeetingParticipant,
    Need,
    Partnership,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
)
from .base import assign, full_clean, require_scope, same_region

if TYPE_CHECKING:
    from portal.models import PartnerOrganisation, User


@dataclass(frozen=True)
class StakeholderInput(ServiceInput):
    """The editable fields of a stakeholder. `partner` (the partner organisation it is) is not on
    forms.StakeholderForm: it is set by administrators and the demo data."""

    name: str = UNSET
    kind: str = UNSET
    description: str = UNSET
    website: str = UNSET
    country: str = UNSET
    is_active: bool = UNSET
    partner: PartnerOrganisation | None = UNSET


@dataclass(frozen=True)
class MeetingInput(ServiceInput):
    """The editable fields of a consultation meeting (forms.MeetingForm; `translations` from its
    language groups). `stakeholders` left out keeps the meeting's invited stakeholders."""

    title: str = UNSET
    starts_at: datetime = UNSET
    ends_at: datetime | None = UNSET
    place: str = UNSET
    online_url: str = UNSET
    roadmap: Roadmap | None = UNSET
    agenda: str = UNSET
    minutes: str = UNSET
    text_language: str = UNSET
    status: str = UNSET
    stakeholders: Sequence[Stakeholder] = UNSET
    translations: dict = UNSET


@dataclass(frozen=True)
class ParticipantInput(ServiceInput):
    """A meeting's participant. `user` (a portal account) is not on forms.ParticipantForm."""

    name: str = UNSET
    organisation: str = UNSET
    stakeholder: Stakeholder | None = UNSET
    attended: bool = UNSET
    user: User | None = UNSET


@dataclass(frozen=True)
class DecisionInput(ServiceInput):
    """The editable fields of a meeting's decision and its follow-up (forms.DecisionForm)."""

    title: str = UNSET
    description: str = UNSET
    axis: RoadmapAxis | None = UNSET
    need: Need | None = UNSET
    owner: User | None = UNSET
    owner_label: str = UNSET
    due_date: date | None = UNSET
    follow_up_status: str = UNSET
    follow_up_note: str = UNSET


@dataclass(frozen=True)
class PartnershipInput(ServiceInput):
    """The editable fields of a civil-society partnership (forms.PartnershipForm). A link left
    out (`partners`, `axes`, `needs`) keeps the partnership's; a new one needs its partners."""

    title: str = UNSET
    objective: str = UNSET
    partners: Sequence[Stakeholder] = UNSET
    axes: Sequence[RoadmapAxis] = UNSET
    needs: Sequence[Need] = UNSET
    budget_mad: Decimal | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    status: str = UNSET
    results: str = UNSET


@transaction.atomic
def stakeholder_save(
    *, region: Region, by, data: StakeholderInput | Mapping, stakeholder: Stakeholder | None = None
) -> Stakeholder:
    require_scope(by, region.pk)
    if stakeholder is not None and stakeholder.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    stakeholder = stakeholder or Stakeholder(region=region)
    assign(stakeholder, StakeholderInput.coerce(data).changes())
    full_clean(stakeholder)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def meeting_save(
    *,
    region: Region,
    by,
    data: MeetingInput | Mapping,
    meeting: ConsultationMeeting | None = None,
    stakeholders: Sequence[Stakeholder] = UNSET,
) -> ConsultationMeeting:
    """Create or edit a meeting. `stakeholders=` is the same as the input's field (kept for
    older callers); left out, the meeting keeps its invited stakeholders."""
    require_scope(by, region.pk)
    if meeting is not None and meeting.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    meeting = meeting or ConsultationMeeting(region=region, created_by=by)
    values = MeetingInput.coerce(data, stakeholders=stakeholders).changes()
    stakeholders = list(values.pop("stakeholders")) if "stakeholders" in values else None
    assign(meeting, values)
    errors: dict = {}
    if meeting.starts_at and meeting.ends_at and meeting.ends_at < meeting.starts_at:
        errors["ends_at"] = [_("The end is before the start.")]
    same_region(errors, "roadmap", meeting.roadmap, region.pk, _("This roadmap belongs to another region."))
    for s in stakeholders or []:
        same_region(errors, "stakeholders", s, region.pk, _("This stakeholder belongs to another region."))
    if errors:
        raise ValidationError(errors)
    full_clean(meeting)
    meeting.save()
    translations_fill_later(meeting)
    if stakeholders is not None:
        meeting.stakeholders.set(stakeholders)
    return meeting


@transaction.atomic
def participant_add(*, meeting: ConsultationMeeting, by, data: ParticipantInput | Mapping) -> MeetingParticipant:
    require_scope(by, meeting.region_id)
    participant = MeetingParticipant(meeting=meeting)
    assign(participant, ParticipantInput.coerce(data).changes())
    if participant.stakeholder_id and participant.stakeholder.region_id != meeting.region_id:
        raise ValidationError({"stakeholder": [_("This stakeholder belongs to another region.")]})
    full_clean(participant)
    participant.save()
    return participant


@transaction.atomic
def decision_save(
    *, meeting: ConsultationMeeting, by, data: DecisionInput | Mapping, decision: Decision | None = None
) -> Decision:
    """Record a decision of `meeting` (or update its follow-up); axis and need must be the region's."""
    require_scope(by, meeting.region_id)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    decision = decision or Decision(meeting=meeting, region_id=meeting.region_id)
    assign(decision, DecisionInput.coerce(data).changes())
    errors: dict = {}
    if decision.axis_id and decision.axis.roadmap.region_id != meeting.region_id:
        errors["axis"] = [_("This axis belongs to another region.")]
    same_region(errors, "need", decision.need, meeting.region_id, _("This need belongs to another region."))
    if errors:
        raise ValidationError(errors)
    full_clean(decision)
    decision.save()
    return decision


@transaction.atomic
def partnership_save(
    *,
    region: Region,
    by,
    data: PartnershipInput | Mapping,
    partnership: Partnership | None = None,
    partners: Sequence[Stakeholder] = UNSET,
    axes: Sequence[RoadmapAxis] = UNSET,
    needs: Sequence[Need] = UNSET,
) -> Partnership:
    """Create or edit a partnership. `partners=`, `axes=`, `needs=` are the same as the input's
    fields (kept for older callers); a link left out keeps the partnership's."""
    require_scope(by, region.pk)
    if partnership is not None and partnership.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    partnership = partnership or Partnership(region=region)
    values = PartnershipInput.coerce(data, partners=partners, axes=axes, needs=needs).changes()
    links = {name: values.pop(name, UNSET) for name in ("partners", "axes", "needs")}
    assign(partnership, values)
    errors: dict = {}
    if partnership.end_date and partnership.start_date and partnership.end_date < partnership.start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    partners, axes, needs = (list(v) if v is not UNSET else None for v in links.values())
    if not partners and (partners is not None or partnership.pk is None):
        errors.setdefault("partners", []).append(_("Choose at least one partner."))
    for p in partners or []:
        same_region(errors, "partners", p, region.pk, _("This stakeholder belongs to another region."))
    for a in axes or []:
        if a.roadmap.region_id != region.pk:
            errors.setdefault("axes", []).append(_("This axis belongs to another region."))
    for n in needs or []:
        same_region(errors, "needs", n, region.pk, _("This need belongs to another region."))
    if errors:
        raise ValidationError(errors)
    full_clean(partnership)
    partnership.save()
    for name, objects in (("partners", partners), ("axes", axes), ("needs", needs)):
        if objects is not None:
            getattr(partnership, name).set(objects)
    return partnership
