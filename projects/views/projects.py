"""Pages of the investors' projects: list, submission, the pipeline, notes, documents, partners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.body_limits import accepts_upload
from portal.downloads import file_download
from portal.extensions import contribution
from portal.permissions import can

from .. import selectors, services
from ..forms import (
    AssignForm,
    DocumentForm,
    DropForm,
    NoteForm,
    PartnerAttachForm,
    ProjectForm,
    TransitionForm,
)
from ..pipeline import NEXT_STEPS
from ..validators import MAX_DOCUMENT_MB, PROJECT_UPLOADS_MAX_MB
from .base import add_errors, error_text, paginate, query_string, refused


@login_required
def project_list_view(request):
    filterset = selectors.project_list(user=request.user, filters=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "projects": page.object_list,
            "query_string": query_string(request),
            "can_submit": can(request.user, "projects.submit"),
        },
    )


@login_required
@accepts_upload(max_mb=PROJECT_UPLOADS_MAX_MB)  # several documents at once, 20 MB in all
def project_create_view(request):
    if not can(request.user, "projects.submit"):
        raise PermissionDenied
    initial = {}
    if request.method == "GET" and request.GET.get("opportunity", "").isdigit():
        initial["opportunity"] = request.GET["opportunity"]
    form = ProjectForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_submit(
                investor=request.user, data=form.to_input(), documents=form.cleaned_data["documents"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your project was submitted. An officer of the region will answer you."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form})


@login_required
def project_detail_view(request, pk: int):
    user = request.user
    project = selectors.project_get(user=user, pk=pk)
    can_manage = selectors.can_manage_region(user, project.region_id)
    is_owner = project.investor_id == user.pk
    context = {
        "project": project,
        "can_manage": can_manage,
        "is_owner": is_owner,
        "next_step": NEXT_STEPS.get(project.status),
        "history": selectors.project_history(project=project),
        "documents": selectors.project_documents(user=user, project=project),
        "partner_links": selectors.project_partner_links(user=user, project=project),
        "eligibility": selectors.project_eligibility(project=project) if (is_owner or can_manage) else None,
    }
    if can_manage:
        context.update(
            notes=selectors.project_notes(user=user, project=project),
            transition_form=TransitionForm(project=project),
            note_form=NoteForm(),
            assign_form=AssignForm(
                officers=selectors.region_officers(project=project),
                initial={"officer": project.assigned_officer_id},
            ),
        )
    if can_manage or is_owner:
        context.update(document_form=DocumentForm(), partner_form=PartnerAttachForm())
    if is_owner:
        context["investment_suggestions"] = contribution(
            "matching.investment_suggestions_for_project", project=project, user=user
        )
    return render(request, "projects/project_detail.html", context)


@login_required
def project_edit_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    if project.investor_id != request.user.pk:
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project=selectors.project_get(user=request.user, pk=pk),
                by=request.user,
                data=form.to_input(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your project was updated."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_transition_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST, project=project)
    if not form.is_valid():
        return refused(request, form, to=project)
    try:
        services.project_transition(
            project=project, to=form.cleaned_data["to"], by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The project moved on; the investor is told."))
    return redirect(project)


@login_required
def project_drop_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = DropForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_transition(project=project, to="dropped", by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The project was dropped."))
            return redirect(project)
    return render(request, "projects/project_drop.html", {"project": project, "form": form})


@login_required
@require_POST
def project_note_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return refused(request, form, to=project)
    try:
        services.project_note_add(project=project, by=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The note was added."))
    return redirect(project)


@login_required
@require_POST
def project_assign_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    if not selectors.can_manage_region(request.user, project.region_id):
        raise PermissionDenied
    form = AssignForm(request.POST, officers=selectors.region_officers(project=project))
    if not form.is_valid():
        return refused(request, form, to=project)
    try:
        services.project_assign(project=project, officer=form.cleaned_data["officer"], by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The officer was assigned."))
    return redirect(project)


@login_required
@require_POST
@accepts_upload(max_mb=MAX_DOCUMENT_MB)
def project_document_upload_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return refused(request, form, to=project)
    try:
        services.project_document_add(project=project, by=request.user, upload=form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The document was added."))
    return redirect(project)


@login_required
def project_document_view(request, pk: int):
    document = selectors.project_document_get(user=request.user, pk=pk)
    return file_download(document.file, filename=document.original_name, private=True)


@login_required
def project_document_delete_view(request, pk: int):
    document = selectors.project_document_get(user=request.user, pk=pk)
    project = document.project
    if request.method == "POST":
        services.project_document_delete(document=document, by=request.user)
        messages.success(request, _("The document was deleted."))
        return redirect(project)
    return render(
        request,
        "projects/confirm.html",
        {
            "title": _("Delete this document?"),
            "question": _("The file will be removed for everyone. This cannot be undone."),
            "subject": document,
            "confirm_label": _("Delete the document"),
            "cancel_url": project.get_absolute_url(),
        },
    )


@login_required
@require_POST
def project_partner_attach_view(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = PartnerAttachForm(request.POST)
    if not form.is_valid():
        return refused(request, form, to=project)
    try:
        link = services.project_partner_attach(project=project, partner=form.cleaned_data["partner"], by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if link.is_active:
            messages.success(request, _("The partner is attached and can now see this project."))
        else:
            messages.success(request, _("The partner is proposed; the investor is asked for consent."))
    return redirect(project)


@login_required
@require_POST
def project_partner_consent_view(request, pk: int):
    link = selectors.project_partner_link_get(user=request.user, pk=pk)
    try:
        services.project_partner_consent(link=link, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("You agreed: the partner can now see this project."))
    return redirect(link.project)


@login_required
def project_partner_end_view(request, pk: int):
    link = selectors.project_partner_link_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.project_partner_end(link=link, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The partner no longer sees this project."))
        return redirect(link.project)
    return render(
        request,
        "projects/confirm.html",
        {
            "title": _("End this partnership?"),
            "question": _("The partner will no longer see this project."),
            "subject": link,
            "confirm_label": _("End the partnership"),
            "cancel_url": link.project.get_absolute_url(),
        },
    )
