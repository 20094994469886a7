"""Thin views: parse input with a form, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

# Pages are the top layer: the need page logs which experts' offers of help it shows.
from portal.body_limits import accepts_upload
from portal.downloads import attachment, file_download
from portal.enums import ReadCategory, ReadPurpose
from portal.permissions import can, regions_for
from portal.reads import profile_reads_record

from . import selectors, services
from .enums import NeedStatus
from .filtersets import PageNeedFilterSet
from .forms import (
    AxisForm,
    DecisionForm,
    MeetingForm,
    NeedForm,
    NeedInterestForm,
    NeedLanguageFormSet,
    NeedSkillForm,
    NeedSkillFormSet,
    ParticipantForm,
    PartnershipForm,
    RoadmapDocumentForm,
    RoadmapForm,
    StakeholderForm,
    StudyForm,
    StudySearchForm,
    languages_from,
    skills_from,
)
from .ics import meeting_ics
from .models import ROADMAP_DOCUMENT_MAX_MB, STUDY_MAX_MB
from .selectors import region_get, region_list

NEEDS_PER_PAGE = 50


def home(request):
    regions = region_list()
    return render(
        request,
        "portal/home.html",
        {"pilot_regions": [region for region in regions if region.is_pilot], "region_count": len(regions)},
    )


def region_list_view(request):
    return render(request, "regions/region_list.html", {"regions": region_list()})


def region_detail_view(request, code: str):
    region = region_get(code=code)
    return render(request, "regions/region_detail.html", {"region": region, "provinces": region.provinces.all()})


def region_page_view(request, code: str):
    """The region's public page for the diaspora: adopted roadmap, open needs, stakeholders,
    consultations and decisions, partnerships, studies, indicators."""
    region = selectors.region_by_code(code=code)
    context = {"region": region, **selectors.region_page(user=request.user, region=region)}
    context["filter"] = PageNeedFilterSet(
        None, queryset=selectors.need_list(user=request.user, region=region), region=region
    )
    return render(request, "regions/region_page.html", context)


# --- helpers ---------------------------------------------------------------------------------


def _post(request):
    """(data, files) of a POST, or (None, None) with an error message when the body is too big."""
    if request.method != "POST":
        return None, None
    try:
        return request.POST, request.FILES
    except RequestDataTooBig:
        messages.error(request, _("What you sent is too large. Shorten the text or the file and try again."))
        return None, None


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _scoped_region(request, code: str):
    """The region of a management page; 403 for anyone who does not act for it."""
    region = selectors.region_by_code(code=code)
    if not can(request.user, "regions.manage", region):
        raise PermissionDenied(_("You cannot act for this region."))
    return region


def _form_page(request, *, form, title: str, save, success_url, back_url: str = "", extra: dict | None = None):
    """Render `form`; on a valid POST call `save()` (a service) and redirect, or show its errors."""
    if form.is_bound and form.is_valid():
        try:
            obj = save()
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(success_url(obj) if callable(success_url) else success_url)
    context = {"form": form, "title": title, "back_url": back_url, **(extra or {})}
    return render(request, "regions/form.html", context, status=400 if request.method == "POST" else 200)


# --- Needs (public) --------------------------------------------------------------------------


def _need_list_page(request, *, region=None):
    needs = selectors.need_list(user=request.user, region=region)
    filterset = PageNeedFilterSet(request.GET or None, queryset=needs, region=region)
    if not filterset.is_bound or "status" not in request.GET:
        filterset.queryset = filterset.queryset.filter(status=NeedStatus.OPEN)
    page = Paginator(filterset.qs.order_by("-published_at", "-pk"), NEEDS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regions/need_list.html",
        {
            "region": region,
            "filter": filterset,
            "page_obj": page,
            "needs": page.object_list,
            "query_string": query.urlencode(),
            "active_filters": sum(1 for _key, values in query.lists() if any(values)),
        },
    )


def need_list_view(request):
    return _need_list_page(request)


def region_need_list_view(request, code: str):
    return _need_list_page(request, region=selectors.region_by_code(code=code))


def need_detail_view(request, code: str, pk: int):
    region = selectors.region_by_code(code=code)
    need = selectors.need_get(user=request.user, region=region, pk=pk)
    can_edit = can(request.user, "regions.manage", region)
    interests = selectors.need_interests(user=request.user, need=need)
    profiles = [getattr(interest.user, "expert_profile", None) for interest in interests]
    profile_reads_record(
        reader=request.user,
        reads=[(p.pk, ReadCategory.INTEREST) for p in profiles if p is not None],
        purpose=ReadPurpose.NEED_INTERESTS,
        need_id=need.pk,
    )
    return render(
        request,
        "regions/need_detail.html",
        {
            "region": region,
            "need": need,
            "interest": selectors.need_interest_of(need=need, user=request.user),
            "interest_form": NeedInterestForm(),
            "can_express_interest": can(request.user, "regions.express_interest", need),
            "can_edit": can_edit,
            "interests": interests,
            "transitions": [NeedStatus(s) for s in services.need_allowed_transitions(need)] if can_edit else [],
        },
    )


@login_required
@require_POST
def need_interest_view(request, code: str, pk: int):
    region = selectors.region_by_code(code=code)
    need = selectors.need_get(user=request.user, region=region, pk=pk)
    data, _files = _post(request)
    form = NeedInterestForm(data)
    if data is not None and form.is_valid():
        try:
            _interest, created = services.need_interest_express(
                need=need, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if created:
                messages.success(request, _("Thank you: the region's team has been told you can help."))
            else:
                messages.info(request, _("You had already said you can help with this need."))
    elif data is not None:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(need.get_absolute_url())


@login_required
@require_POST
def need_interest_withdraw_view(request, code: str, pk: int):
    region = selectors.region_by_code(code=code)
    need = selectors.need_get(user=request.user, region=region, pk=pk)
    if services.need_interest_withdraw(need=need, user=request.user):
        messages.success(request, _("Your interest was withdrawn."))
    return redirect(need.get_absolute_url())


# --- Roadmaps --------------------------------------------------------------------------------


def roadmap_detail_view(request, code: str, version: int):
    region = selectors.region_by_code(code=code)
    roadmap = selectors.roadmap_get(user=request.user, region=region, version=version)
    needs = selectors.need_list(user=request.user, region=region).filter(roadmap=roadmap).order_by("axis", "pk")
    can_edit = can(request.user, "regions.manage", region)
    return render(
        request,
        "regions/roadmap_detail.html",
        {
            "region": region,
            "roadmap": roadmap,
            "roadmaps": selectors.roadmap_list(user=request.user, region=region),
            "needs": needs,
            "can_edit": can_edit,
        },
    )


@login_required
def roadmap_create_view(request, code: str):
    region = _scoped_region(request, code)
    data, _files = _post(request)
    form = RoadmapForm(data)
    return _form_page(
        request,
        form=form,
        title=_("New roadmap version"),
        save=lambda: services.roadmap_create(region=region, by=request.user, data=form.cleaned_data),
        success_url=lambda roadmap: roadmap.get_absolute_url(),
        back_url=reverse("regions:manage", kwargs={"code": code}),
    )


@login_required
def roadmap_edit_view(request, code: str, version: int):
    region = _scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    data, _files = _post(request)
    form = RoadmapForm(data, instance=roadmap)
    return _form_page(
        request,
        form=form,
        title=_("Edit the roadmap"),
        save=lambda: services.roadmap_update(roadmap=roadmap, by=request.user, data=form.cleaned_data),
        success_url=roadmap.get_absolute_url(),
        back_url=roadmap.get_absolute_url(),
    )


@login_required
@require_POST
def roadmap_action_view(request, code: str, version: int, action: str):
    region = _scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    actions = {
        "adopt": services.roadmap_adopt,
        "close": services.roadmap_close,
        "new-version": services.roadmap_new_version,
    }
    try:
        result = actions[action](roadmap=roadmap, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(roadmap.get_absolute_url())
    messages.success(request, _("Saved."))
    return redirect(result.get_absolute_url())


@login_required
def axis_edit_view(request, code: str, version: int, pk: int | None = None):
    region = _scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    axis = roadmap.axes.filter(pk=pk).first() if pk else None
    if pk and axis is None:
        raise PermissionDenied(_("You cannot act for this region."))
    data, _files = _post(request)
    form = AxisForm(data, instance=axis)
    return _form_page(
        request,
        form=form,
        title=_("Roadmap axis"),
        save=lambda: services.axis_save(roadmap=roadmap, by=request.user, data=form.cleaned_data, axis=axis),
        success_url=roadmap.get_absolute_url(),
        back_url=roadmap.get_absolute_url(),
    )


@login_required
@accepts_upload(max_mb=ROADMAP_DOCUMENT_MAX_MB)
def roadmap_document_view(request, code: str, version: int):
    region = _scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    data, files = _post(request)
    form = RoadmapDocumentForm(data, files)
    return _form_page(
        request,
        form=form,
        title=_("Add a document"),
        save=lambda: services.roadmap_document_add(roadmap=roadmap, by=request.user, **form.cleaned_data),
        success_url=roadmap.get_absolute_url(),
        back_url=roadmap.get_absolute_url(),
        extra={"multipart": True},
    )


# --- Needs (officials) -----------------------------------------------------------------------


def _need_form_page(request, *, region, roadmap, need=None):
    data, _files = _post(request)
    if need is not None and data is None:
        skill_initial = [
            NeedSkillForm.initial_for(s.skill)
            | {"weight": s.weight, "essential": s.essential, "min_level": s.min_level}
            for s in need.skills.select_related("skill")
        ]
        language_initial = [{"language": x.language, "min_level": x.min_level} for x in need.languages.all()]
    else:
        skill_initial = language_initial = None
    form = NeedForm(data, instance=need, roadmap=roadmap)
    skill_set = NeedSkillFormSet(data, prefix="skills", initial=skill_initial)
    language_set = NeedLanguageFormSet(data, prefix="languages", initial=language_initial)
    if data is not None and all([form.is_valid(), skill_set.is_valid(), language_set.is_valid()]):
        values = {k: v for k, v in form.cleaned_data.items() if not (k == "owner" and v is None)}
        try:
            if need is None:
                need = services.need_create(
                    roadmap=roadmap,
                    by=request.user,
                    data=values,
                    skills=skills_from(skill_set),
                    languages=languages_from(language_set),
                )
            else:
                need = services.need_update(
                    need=need,
                    by=request.user,
                    data=values,
                    skills=skills_from(skill_set),
                    languages=languages_from(language_set),
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(need.get_absolute_url())
    return render(
        request,
        "regions/need_form.html",
        {
            "region": region,
            "roadmap": roadmap,
            "need": need,
            "form": form,
            "skills": skill_set,
            "languages": language_set,
        },
        status=400 if data is not None or request.method == "POST" else 200,
    )


@login_required
def need_create_view(request, code: str, version: int):
    region = _scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    return _need_form_page(request, region=region, roadmap=roadmap)


@login_required
def need_edit_view(request, code: str, pk: int):
    region = _scoped_region(request, code)
    need = selectors.need_for_edit(user=request.user, region=region, pk=pk)
    return _need_form_page(request, region=region, roadmap=need.roadmap, need=need)


@login_required
@require_POST
def need_transition_view(request, code: str, pk: int):
    region = _scoped_region(request, code)
    need = selectors.need_for_edit(user=request.user, region=region, pk=pk)
    try:
        services.need_transition(need=need, to=request.POST.get("to", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(need.get_absolute_url())


@login_required
def manage_view(request, code: str):
    region = _scoped_region(request, code)
    return render(
        request,
        "regions/manage.html",
        {
            "region": region,
            "roadmaps": selectors.roadmap_list(user=request.user, region=region),
            "needs": selectors.need_manage_list(user=request.user, region=region),
            "stakeholders": selectors.stakeholder_list(region=region),
            "meetings": selectors.meeting_list(region=region),
            "partnerships": selectors.partnership_list(region=region),
        },
    )


@login_required
def manage_home_view(request):
    """Officials land on their region (or choose among theirs)."""
    regions = list(regions_for(request.user).order_by("code"))
    if len(regions) == 1:
        return redirect("regions:manage", code=regions[0].code)
    if not regions:
        raise PermissionDenied(_("You cannot act for this region."))
    return render(request, "regions/manage_home.html", {"regions": regions})


# --- Stakeholders, meetings, decisions, partnerships -----------------------------------------


@login_required
def stakeholder_edit_view(request, code: str, pk: int | None = None):
    region = _scoped_region(request, code)
    stakeholder = selectors.stakeholder_for_edit(user=request.user, region=region, pk=pk) if pk else None
    data, _files = _post(request)
    form = StakeholderForm(data, instance=stakeholder)
    manage = reverse("regions:manage", kwargs={"code": code})
    return _form_page(
        request,
        form=form,
        title=_("Stakeholder"),
        save=lambda: services.stakeholder_save(
            region=region, by=request.user, data=form.cleaned_data, stakeholder=stakeholder
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
    region = _scoped_region(request, code)
    meeting = selectors.meeting_for_edit(user=request.user, region=region, pk=pk) if pk else None
    data, _files = _post(request)
    form = MeetingForm(data, instance=meeting, region=region)

    def save():
        values = dict(form.cleaned_data)
        stakeholders = values.pop("stakeholders")
        return services.meeting_save(
            region=region, by=request.user, data=values, stakeholders=stakeholders, meeting=meeting
        )

    return _form_page(
        request,
        form=form,
        title=_("Consultation meeting"),
        save=save,
        success_url=lambda m: m.get_absolute_url(),
        back_url=meeting.get_absolute_url() if meeting else reverse("regions:manage", kwargs={"code": code}),
    )


@login_required
def participant_add_view(request, code: str, pk: int):
    region = _scoped_region(request, code)
    meeting = selectors.meeting_for_edit(user=request.user, region=region, pk=pk)
    data, _files = _post(request)
    form = ParticipantForm(data, region=region)
    return _form_page(
        request,
        form=form,
        title=_("Add a participant"),
        save=lambda: services.participant_add(meeting=meeting, by=request.user, data=form.cleaned_data),
        success_url=meeting.get_absolute_url(),
        back_url=meeting.get_absolute_url(),
    )


@login_required
def decision_edit_view(request, code: str, pk: int, decision_pk: int | None = None):
    region = _scoped_region(request, code)
    meeting = selectors.meeting_for_edit(user=request.user, region=region, pk=pk)
    decision = selectors.decision_for_edit(user=request.user, meeting=meeting, pk=decision_pk) if decision_pk else None
    data, _files = _post(request)
    form = DecisionForm(data, instance=decision, region=region)
    return _form_page(
        request,
        form=form,
        title=_("Decision"),
        save=lambda: services.decision_save(
            meeting=meeting, by=request.user, data=form.cleaned_data, decision=decision
        ),
        success_url=meeting.get_absolute_url(),
        back_url=meeting.get_absolute_url(),
    )


@login_required
def partnership_edit_view(request, code: str, pk: int | None = None):
    region = _scoped_region(request, code)
    partnership = selectors.partnership_for_edit(user=request.user, region=region, pk=pk) if pk else None
    data, _files = _post(request)
    form = PartnershipForm(data, instance=partnership, region=region)
    manage = reverse("regions:manage", kwargs={"code": code})

    def save():
        values = dict(form.cleaned_data)
        links = {name: values.pop(name) for name in ("partners", "axes", "needs")}
        return services.partnership_save(region=region, by=request.user, data=values, partnership=partnership, **links)

    return _form_page(
        request, form=form, title=_("Civil-society partnership"), save=save, success_url=manage, back_url=manage
    )


# --- Studies and indicators ------------------------------------------------------------------


def study_list_view(request):
    form = StudySearchForm(request.GET or None)
    query, region = "", None
    if form.is_valid():
        query, region = form.cleaned_data["q"], form.cleaned_data["region"]
    page = Paginator(selectors.study_list(query=query, region=region), 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "regions/study_list.html",
        {
            "form": form,
            "page_obj": page,
            "studies": page.object_list,
            "query_string": params.urlencode(),
            "can_add": can(request.user, "regions.manage_any"),
        },
    )


def study_detail_view(request, pk: int):
    return render(request, "regions/study_detail.html", {"study": selectors.study_get(pk=pk)})


@login_required
@accepts_upload(max_mb=STUDY_MAX_MB)
def study_edit_view(request, pk: int | None = None):
    if not can(request.user, "regions.manage_any"):
        raise PermissionDenied(_("You cannot act for this region."))
    study = selectors.study_for_edit(user=request.user, pk=pk) if pk else None
    data, files = _post(request)
    form = StudyForm(data, files, instance=study, regions=regions_for(request.user))

    def save():
        values = dict(form.cleaned_data)
        links = {name: values.pop(name) for name in ("regions", "axes", "needs")}
        if not values.get("file"):
            values.pop("file", None)
        return services.study_save(by=request.user, data=values, study=study, **links)

    return _form_page(
        request,
        form=form,
        title=_("Study"),
        save=save,
        success_url=lambda s: s.get_absolute_url(),
        back_url=reverse("regions:study_list"),
        extra={"multipart": True},
    )


def study_file_view(request, pk: int):
    study = selectors.study_get(pk=pk)
    # Public documents: served as attachments all the same, never rendered by the browser.
    return file_download(study.file, filename=f"jusur-study-{study.pk}", private=False)


def roadmap_document_file_view(request, code: str, version: int, pk: int):
    region = selectors.region_by_code(code=code)
    roadmap = selectors.roadmap_get(user=request.user, region=region, version=version)
    document = get_object_or_404(roadmap.documents.all(), pk=pk)
    return file_download(document.file, filename=document.title, private=False)


def indicator_list_view(request):
    regions = [r for r in region_list() if r.is_pilot]
    return render(
        request,
        "regions/indicator_list.html",
        {
            "national": selectors.indicator_list(),
            "regional": [(region, selectors.indicator_overview(region=region)) for region in regions],
        },
    )
