"""Thin views of the member's side: their home, answers to suggestions, their impact, and the
public list of contributors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diaspora.enums import ConsentPurpose
from diaspora.services import consent_set
from portal.permissions import is_member

from . import member_selectors, member_services
from .forms import HelpForm, SetAsideForm
from .selectors import digest_subscribed


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def member_home_view(request):
    home = member_selectors.member_home(user=request.user, page=request.GET.get("page"))
    return render(
        request,
        "matching/member_home.html",
        {
            "home": home,
            "help_form": HelpForm(),
            "set_aside_form": SetAsideForm(),
            "digest": digest_subscribed(user=request.user),
        },
    )


@login_required
@require_POST
def suggestions_seen_view(request):
    """The home page's script says which suggestions were shown (static/js/member-home.js)."""
    need_ids = [int(v) for v in request.POST.getlist("need") if v.isdigit() and len(v) < 19]
    member_services.suggestions_mark_seen(user=request.user, need_ids=need_ids)
    return HttpResponse(status=204)


def _back(request):
    return redirect("matching:member_home")


@login_required
@require_POST
def suggestion_help_view(request, need_id: int):
    form = HelpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is too long."))
        return _back(request)
    try:
        member_services.suggestion_help(user=request.user, need_id=need_id, message=form.cleaned_data["message"])
        messages.success(request, _("Thank you: the region's team has been told you can help."))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(request)


@login_required
@require_POST
def suggestion_help_undo_view(request, need_id: int):
    try:
        if member_services.suggestion_help_undo(user=request.user, need_id=need_id):
            messages.success(request, _("Your interest was withdrawn."))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(request)


@login_required
@require_POST
def suggestion_set_aside_view(request, need_id: int):
    form = SetAsideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the reasons offered."))
        return _back(request)
    try:
        member_services.suggestion_set_aside(user=request.user, need_id=need_id, reason=form.cleaned_data["reason"])
        messages.success(request, _("This need left your list. You can bring it back below."))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(request)


@login_required
@require_POST
def suggestion_set_aside_undo_view(request, need_id: int):
    if member_services.suggestion_set_aside_undo(user=request.user, need_id=need_id):
        messages.success(request, _("The need is back in your list."))
    return _back(request)


@login_required
@require_GET
def impact_view(request):
    if not is_member(request.user):
        raise PermissionDenied(_("This page is for diaspora members."))
    profile = member_selectors.own_profile(user=request.user)
    return render(
        request,
        "matching/impact.html",
        {
            "page_obj": member_selectors.impact_page(user=request.user, page=request.GET.get("page")),
            "profile": profile,
            "line": member_selectors.own_contribution_line(profile=profile) if profile else "",
        },
    )


@login_required
@require_POST
def impact_public_view(request):
    """Show (or stop showing) the public line: a consent purpose, recorded with its proof."""
    profile = member_selectors.own_profile(user=request.user)
    if profile is None or not is_member(request.user):
        raise PermissionDenied(_("This page is for diaspora members."))
    show = request.POST.get("show") == "1"
    consent_set(profile=profile, choices={ConsentPurpose.PUBLIC_CONTRIBUTIONS: show})
    messages.success(
        request, _("Your contributions are shown publicly.") if show else _("Your contributions are no longer shown.")
    )
    return redirect("matching:impact")


@require_GET
def contributor_list_view(request):
    return render(
        request,
        "matching/contributor_list.html",
        {"page_obj": member_selectors.contributors_page(page=request.GET.get("page"))},
    )
