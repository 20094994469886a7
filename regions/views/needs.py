"""Needs: the public lists and page, offers of help, and the officials' need form and status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

# Pages are the top layer: the need page logs which experts' offers of help it shows.
from portal.enums import ReadCategory, ReadPurpose
from portal.permissions import can
from portal.reads import profile_reads_record

from .. import selectors, services
from ..enums import NeedStatus
from ..filtersets import PageNeedFilterSet
from ..forms import (
    NeedForm,
    NeedInterestForm,
    NeedLanguageFormSet,
    NeedSkillForm,
    NeedSkillFormSet,
    languages_from,
    skills_from,
)
from .base import apply_errors, post_data, scoped_region

NEEDS_PER_PAGE = 50


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
    data, _files = post_data(request)
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


def _need_form_page(request, *, region, roadmap, need=None):
    data, _files = post_data(request)
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
        try:
            if need is None:
                need = services.need_create(
                    roadmap=roadmap,
                    by=request.user,
                    data=form.to_input(),
                    skills=skills_from(skill_set),
                    languages=languages_from(language_set),
                )
            else:
                need = services.need_update(
                    need=need,
                    by=request.user,
                    data=form.to_input(),
                    skills=skills_from(skill_set),
                    languages=languages_from(language_set),
                )
        except ValidationError as exc:
            apply_errors(form, exc)
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
    region = scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    return _need_form_page(request, region=region, roadmap=roadmap)


@login_required
def need_edit_view(request, code: str, pk: int):
    region = scoped_region(request, code)
    need = selectors.need_for_edit(user=request.user, region=region, pk=pk)
    return _need_form_page(request, region=region, roadmap=need.roadmap, need=need)


@login_required
@require_POST
def need_transition_view(request, code: str, pk: int):
    region = scoped_region(request, code)
    need = selectors.need_for_edit(user=request.user, region=region, pk=pk)
    try:
        services.need_transition(need=need, to=request.POST.get("to", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(need.get_absolute_url())
