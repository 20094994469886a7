"""Consultation: stakeholders, meetings and their participants, decisions, partnerships."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.downloads import attachment

from .. import selectors, services
from ..forms import DecisionForm, MeetingForm, ParticipantForm, PartnershipForm, StakeholderForm
from ..ics import meeting_ics
from .base import form_page, post_data, scoped_region


@login_required
def stakeholder_edit_view(request, code: str, pk: int | None = None):
    region = scoped_region(request, code)
    stakeholder = selectors.stakeholder_for_edit(user=request.user, region=region, pk=pk) if pk else None
    data, _files = post_data(request)
    form = StakeholderForm(data, instance=stakeholder)
    manage = reverse("regions:manage", kwargs={"code": code})
    return form_page(
        request,
        form=form,
        title=_("Stakeholder"),
        save=lambda: services.stakeholder_save(
            region=region, by=request.user, data=form.to_input(), stakeholder=stakeholder
        ),
        success_url=manage,
        back_url=manage,
    )


def meeting_detail_view(request, code: str, pk: int):
    region = selectors.region_by_code(code=code)
    meeting = selectors.meeting_get(region=region, pk=pk)
    # The officials of the region see the restricted fields (and edit); everyone else, the public part.
    can_edit = selectors.meeting_restricted_visible(user=request.user, region=region)
    return render(request, "regions/meeting_detail.html", {"region": region, "meeting": meeting, "can_edit": can_edit})


def meeting_ics_view(request, code: str, pk: int):
    region = selectors.region_by_code(code=code)
    meeting = selectors.meeting_get(region=region, pk=pk)
    restricted = selectors.meeting_restricted_visible(user=request.user, region=region)
    body = meeting_ics(meeting, url=settings.JUSUR_SITE_URL + meeting.get_absolute_url(), with_link=restricted)
    filename = f"jusur-meeting-{meeting.pk}.ics"
    return attachment(body, filename=filename, content_type="text/calendar; charset=utf-8", private=restricted)


@login_required
def meeting_edit_view(request, code: str, pk: int | None = None):
    region = scoped_region(request, code)
    meeting = selectors.meeting_for_edit(user=request.user, region=region, pk=pk) if pk else None
    data, _files = post_data(request)
    form = MeetingForm(data, instance=meeting, region=region)
    return form_page(
        request,
        form=form,
        title=_("Consultation meeting"),
        save=lambda: services.meeting_save(region=region, by=request.user, data=form.to_input(), meeting=meeting),
        success_url=lambda m: m.get_absolute_url(),
        back_url=meeting.get_absolute_url() if meeting else reverse("regions:manage", kwargs={"code": code}),
    )


@login_required
def participant_add_view(request, code: str, pk: int):
    region = scoped_region(request, code)
    meeting = selectors.meeting_for_edit(user=request.user, region=region, pk=pk)
    data, _files = post_data(request)
    form = ParticipantForm(data, region=region)
    return form_page(
        request,
        form=form,
        title=_("Add a participant"),
        save=lambda: services.participant_add(meeting=meeting, by=request.user, data=form.to_input()),
        success_url=meeting.get_absolute_url(),
        back_url=meeting.get_absolute_url(),
    )


@login_required
def decision_edit_view(request, code: str, pk: int, decision_pk: int | None = None):
    region = scoped_region(request, code)
    meeting = selectors.meeting_for_edit(user=request.user, region=region, pk=pk)
    decision = selectors.decision_for_edit(user=request.user, meeting=meeting, pk=decision_pk) if decision_pk else None
    data, _files = post_data(request)
    form = DecisionForm(data, instance=decision, region=region)
    return form_page(
        request,
        form=form,
        title=_("Decision"),
        save=lambda: services.decision_save(meeting=meeting, by=request.user, data=form.to_input(), decision=decision),
        success_url=meeting.get_absolute_url(),
        back_url=meeting.get_absolute_url(),
    )


@login_required
def partnership_edit_view(request, code: str, pk: int | None = None):
    region = scoped_region(request, code)
    partnership = selectors.partnership_for_edit(user=request.user, region=region, pk=pk) if pk else None
    data, _files = post_data(request)
    form = PartnershipForm(data, instance=partnership, region=region)
    manage = reverse("regions:manage", kwargs={"code": code})
    return form_page(
        request,
        form=form,
        title=_("Civil-society partnership"),
        save=lambda: services.partnership_save(
            region=region, by=request.user, data=form.to_input(), partnership=partnership
        ),
        success_url=manage,
        back_url=manage,
    )
