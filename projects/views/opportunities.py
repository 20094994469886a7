"""Pages of the opportunities: list, detail, editing, publishing, interest, documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.body_limits import accepts_upload
from portal.downloads import file_download
from portal.extensions import contribution
from portal.permissions import can, regions_for

from .. import selectors, services
from ..forms import (
    DocumentForm,
    InterestForm,
    OpportunityForm,
)
from ..validators import MAX_DOCUMENT_MB
from .base import add_errors, error_text, paginate, query_string, refused


def opportunity_list_view(request):
    filterset = selectors.opportunity_list(user=request.user, filters=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "projects/opportunity_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "opportunities": page.object_list,
            "query_string": query_string(request),
            "can_post": can(request.user, "projects.post_opportunity"),
        },
    )


@login_required
def opportunity_create_view(request):
    regions = regions_for(request.user).order_by("code")
    if not regions.exists():
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(by=request.user, data=form.to_input())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The opportunity is saved as a draft. Publish it when it is ready."))
            return redirect(opportunity)
    return render(request, "projects/opportunity_form.html", {"form": form})


def opportunity_detail_view(request, pk: int):
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    can_manage = selectors.can_manage_region(request.user, opportunity.region_id)
    interests = selectors.opportunity_interests(user=request.user, opportunity=opportunity)
    return render(
        request,
        "projects/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "can_manage": can_manage,
            "can_submit": can(request.user, "projects.submit"),
            "interests": interests,
            "my_interest": next((i for i in interests if i.investor_id == request.user.pk), None),
            "documents": list(opportunity.documents.all()),
            "interest_form": InterestForm(),
            "document_form": DocumentForm() if can_manage else None,
            "investment_suggestions": (
                contribution(
                    "matching.investment_suggestions_for_opportunity", opportunity=opportunity, user=request.user
                )
                if can_manage
                else None
            ),
        },
    )


@login_required
def opportunity_edit_view(request, pk: int):
    opportunity = selectors.opportunity_managed_get(user=request.user, pk=pk)
    form = OpportunityForm(
        request.POST or None, instance=opportunity, regions=regions_for(request.user).order_by("code")
    )
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        try:
            services.opportunity_update(
                opportunity=selectors.opportunity_managed_get(user=request.user, pk=pk), by=request.user, data=data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The opportunity was updated."))
            return redirect(opportunity)
    return render(request, "projects/opportunity_form.html", {"form": form, "opportunity": opportunity})


@login_required
@require_POST
def opportunity_publish_view(request, pk: int):
    opportunity = selectors.opportunity_managed_get(user=request.user, pk=pk)
    try:
        services.opportunity_publish(opportunity=opportunity, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The opportunity is published."))
    return redirect(opportunity)


@login_required
def opportunity_close_view(request, pk: int):
    opportunity = selectors.opportunity_managed_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.opportunity_close(opportunity=opportunity, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The opportunity is closed."))
        return redirect(opportunity)
    return render(
        request,
        "projects/confirm.html",
        {
            "title": _("Close this opportunity?"),
            "question": _("Investors will no longer be able to express interest. This cannot be undone."),
            "subject": opportunity,
            "confirm_label": _("Close the opportunity"),
            "cancel_url": opportunity.get_absolute_url(),
        },
    )


@login_required
@require_POST
def opportunity_interest_view(request, pk: int):
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    form = InterestForm(request.POST)
    if not form.is_valid():
        return refused(request, form, to=opportunity)
    try:
        services.opportunity_interest_express(
            opportunity=opportunity, by=request.user, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The region knows you are interested. An officer will contact you."))
    return redirect(opportunity)


@login_required
def opportunity_interest_withdraw_view(request, pk: int):
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    if request.method == "POST":
        services.opportunity_interest_withdraw(opportunity=opportunity, by=request.user)
        messages.success(request, _("Your interest was withdrawn."))
        return redirect(opportunity)
    return render(
        request,
        "projects/confirm.html",
        {
            "title": _("Withdraw your interest?"),
            "question": _("The region will no longer see you among the interested investors."),
            "subject": opportunity,
            "confirm_label": _("Withdraw my interest"),
            "cancel_url": opportunity.get_absolute_url(),
        },
    )


@login_required
@require_POST
@accepts_upload(max_mb=MAX_DOCUMENT_MB)
def opportunity_document_upload_view(request, pk: int):
    opportunity = selectors.opportunity_managed_get(user=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return refused(request, form, to=opportunity)
    try:
        services.opportunity_document_add(
            opportunity=opportunity, by=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The document was added."))
    return redirect(opportunity)


def opportunity_document_view(request, pk: int):
    document = selectors.opportunity_document_get(user=request.user, pk=pk)
    return file_download(document.file, filename=document.title, private=True)
