"""Consultation: stakeholders, meetings and their participants, decisions, partnerships."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.translation import translations_fill_later

from ..models import ConsultationMeeting, Decision, MeetingParticipant, Partnership, Region, Stakeholder
from .base import assign, full_clean, require_scope, same_region

STAKEHOLDER_FIELDS = ("name", "kind", "description", "website", "country", "partner", "is_active")
MEETING_FIELDS = (
    "roadmap",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "agenda",
    "minutes",
    "text_language",
    "translations",
    "status",
)
PARTICIPANT_FIELDS = ("name", "organisation", "stakeholder", "user", "attended")
DECISION_FIELDS = (
    "title",
    "description",
    "axis",
    "need",
    "owner",
    "owner_label",
    "due_date",
    "follow_up_status",
    "follow_up_note",
)
PARTNERSHIP_FIELDS = ("title", "objective", "budget_mad", "start_date", "end_date", "status", "results")


@transaction.atomic
def stakeholder_save(*, region: Region, by, data: dict, stakeholder: Stakeholder | None = None) -> Stakeholder:
    require_scope(by, region.pk)
    if stakeholder is not None and stakeholder.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    stakeholder = stakeholder or Stakeholder(region=region)
    assign(stakeholder, data, STAKEHOLDER_FIELDS)
    full_clean(stakeholder)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def meeting_save(
    *,
    region: Region,
    by,
    data: dict,
    stakeholders=None,
    meeting: ConsultationMeeting | None = None,
) -> ConsultationMeeting:
    require_scope(by, region.pk)
    if meeting is not None and meeting.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    meeting = meeting or ConsultationMeeting(region=region, created_by=by)
    assign(meeting, data, MEETING_FIELDS)
    errors: dict = {}
    if meeting.starts_at and meeting.ends_at and meeting.ends_at < meeting.starts_at:
        errors["ends_at"] = [_("The end is before the start.")]
    same_region(errors, "roadmap", meeting.roadmap, region.pk, _("This roadmap belongs to another region."))
    stakeholders = list(stakeholders) if stakeholders is not None else None
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
def participant_add(*, meeting: ConsultationMeeting, by, data: dict) -> MeetingParticipant:
    require_scope(by, meeting.region_id)
    participant = MeetingParticipant(meeting=meeting)
    assign(participant, data, PARTICIPANT_FIELDS)
    if participant.stakeholder_id and participant.stakeholder.region_id != meeting.region_id:
        raise ValidationError({"stakeholder": [_("This stakeholder belongs to another region.")]})
    full_clean(participant)
    participant.save()
    return participant


@transaction.atomic
def decision_save(*, meeting: ConsultationMeeting, by, data: dict, decision: Decision | None = None) -> Decision:
    """Record a decision of `meeting` (or update its follow-up); axis and need must be the region's."""
    require_scope(by, meeting.region_id)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    decision = decision or Decision(meeting=meeting, region_id=meeting.region_id)
    assign(decision, data, DECISION_FIELDS)
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
    data: dict,
    partners=(),
    axes=(),
    needs=(),
    partnership: Partnership | None = None,
) -> Partnership:
    require_scope(by, region.pk)
    if partnership is not None and partnership.region_id != region.pk:
        raise PermissionDenied(_("You cannot act for this region."))
    partnership = partnership or Partnership(region=region)
    assign(partnership, data, PARTNERSHIP_FIELDS)
    errors: dict = {}
    if partnership.end_date and partnership.start_date and partnership.end_date < partnership.start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    partners, axes, needs = list(partners), list(axes), list(needs)
    if not partners:
        errors.setdefault("partners", []).append(_("Choose at least one partner."))
    for p in partners:
        same_region(errors, "partners", p, region.pk, _("This stakeholder belongs to another region."))
    for a in axes:
        if a.roadmap.region_id != region.pk:
            errors.setdefault("axes", []).append(_("This axis belongs to another region."))
    for n in needs:
        same_region(errors, "needs", n, region.pk, _("This need belongs to another region."))
    if errors:
        raise ValidationError(errors)
    full_clean(partnership)
    partnership.save()
    partnership.partners.set(partners)
    partnership.axes.set(axes)
    partnership.needs.set(needs)
    return partnership
