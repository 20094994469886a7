"""Thin views: parse input with a form, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diaspora.access_log import profile_reads_record
from diaspora.enums import ReadCategory, ReadPurpose
from regions.models import Need

from . import selectors, services
from .enums import EngagementStatus, MatchStatus
from .forms import DeclineForm, EngagementForm, InviteForm, RatingForm, WithdrawForm
from .member_selectors import set_aside_counts
from .models import Match

INVITATIONS_PER_PAGE = 20


def _need(pk: int) -> Need:
    try:
        return Need.objects.select_related("region").get(pk=pk)
    except Need.DoesNotExist as exc:
        raise Http404 from exc


def _owner_match(request, pk: int) -> Match:
    try:
        return selectors.match_get_for_owner(pk=pk, user=request.user)
    except Match.DoesNotExist as exc:
        raise Http404 from exc


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def candidate_list_view(request, need_id: int):
    need = _need(need_id)
    candidates = selectors.match_candidates(need=need, user=request.user)
    profile_reads_record(
        reader=request.user,
        reads=[(m.profile_id, ReadCategory.CONTACT if m.contact else ReadCategory.PROFILE) for m in candidates],
        purpose=ReadPurpose.CANDIDATES,
        need_id=need.pk,
    )
    return render(
        request,
        "matching/candidate_list.html",
        {
            "need": need,
            "candidates": candidates,
            "invite_form": InviteForm(),
            "engagement_form": EngagementForm(),
            "statuses": MatchStatus,
            "set_aside": set_aside_counts(need=need, user=request.user),
        },
    )


@login_required
@require_POST
def match_shortlist_view(request, pk: int):
    match = _owner_match(request, pk)
    try:
        services.match_shortlist(match=match, by=request.user, shortlisted=request.POST.get("on") != "0")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("matching:candidate_list", need_id=match.need_id)


@login_required
@require_POST
def match_invite_view(request, pk: int):
    match = _owner_match(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.match_invite(match=match, by=request.user, message=form.cleaned_data["message"])
            messages.success(request, _("The invitation was sent."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("The message is too long."))
    return redirect("matching:candidate_list", need_id=match.need_id)


@login_required
def match_withdraw_view(request, pk: int):
    """A GET asks for confirmation (and an optional reason); only a POST withdraws."""
    match = _owner_match(request, pk)
    back = reverse("matching:candidate_list", kwargs={"need_id": match.need_id}) + f"#match-{match.pk}"
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.match_withdraw(match=match, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The invitation was withdrawn and the expert told."))
            except ValidationError as exc:
                _errors(request, exc)
            return redirect(back)
        # an invalid form (a reason too long) is shown again with its error
    else:
        form = WithdrawForm()
    return render(request, "matching/match_confirm_withdraw.html", {"match": match, "form": form, "cancel_url": back})


@login_required
def invitation_list_view(request):
    return render(
        request,
        "matching/invitation_list.html",
        {
            "page_obj": Paginator(selectors.invitation_list(user=request.user), INVITATIONS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "digest": selectors.digest_subscribed(user=request.user),
        },
    )


@login_required
@require_POST
def digest_view(request):
    """Opt in to (or out of) the weekly e-mail of matching needs."""
    subscribed = services.digest_subscribe(user=request.user, subscribed=request.POST.get("subscribe") == "1")
    messages.success(request, _("You will receive the weekly e-mail.") if subscribed else _("No more weekly e-mail."))
    return redirect("matching:invitation_list")


def _invitation(request, pk: int) -> Match:
    try:
        return selectors.invitation_get(pk=pk, user=request.user)
    except Match.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET  # answers go through invitation_answer_view, with its confirmation step
def invitation_detail_view(request, pk: int):
    match = _invitation(request, pk)
    engagement = getattr(match, "engagement", None)
    return render(
        request,
        "matching/invitation_detail.html",
        {
            "match": match,
            "engagement": engagement,
            "can_answer": match.status == MatchStatus.INVITED,
            # Nothing to rate before the engagement is completed: the form is not offered.
            "rating_form": RatingForm(initial={"rating": engagement.expert_rating})
            if engagement is not None and engagement.status == EngagementStatus.COMPLETED
            else None,
            "statuses": MatchStatus,
        },
    )


@login_required
def invitation_answer_view(request, pk: int, decision: str):
    """Accept or decline: a GET shows what the answer means and asks for confirmation (and,
    to decline, an optional reason); only a POST answers."""
    match = _invitation(request, pk)
    accept = decision == "accept"
    back = reverse("matching:invitation_detail", kwargs={"pk": pk})
    if match.status != MatchStatus.INVITED:
        return redirect(back)
    form = DeclineForm(request.POST if request.method == "POST" and not accept else None)
    if request.method == "POST" and (accept or form.is_valid()):
        try:
            services.match_respond(
                match=match, by=request.user, accept=accept, reason="" if accept else form.cleaned_data["reason"]
            )
            messages.success(request, _("Your answer was sent to the region."))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(back)
    return render(
        request,
        "matching/invitation_confirm_answer.html",
        {"match": match, "accept": accept, "form": form, "cancel_url": back},
    )


@login_required
@require_POST
def engagement_update_view(request, pk: int):
    try:
        match = Match.objects.select_related("engagement", "profile", "need").get(pk=pk)
        engagement = match.engagement
    except (Match.DoesNotExist, Match.engagement.RelatedObjectDoesNotExist) as exc:
        raise Http404 from exc
    form = EngagementForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_update(
                engagement=engagement,
                by=request.user,
                status=form.cleaned_data["status"] or None,
                note=form.cleaned_data["note"] or None,
                rating=form.cleaned_data["rating"],
                thanks=form.cleaned_data["thanks"] or None,
            )
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            _errors(request, exc)
    if match.profile.user_id == request.user.pk:
        return redirect("matching:invitation_detail", pk=pk)
    return redirect("matching:candidate_list", need_id=match.need_id)
