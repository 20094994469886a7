"""Roadmaps: the page of a version, its editing, adoption and closing, axes and documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.body_limits import accepts_upload
from portal.downloads import file_download
from portal.permissions import can

from .. import selectors, services
from ..forms import AxisForm, RoadmapDocumentForm, RoadmapForm
from ..models import ROADMAP_DOCUMENT_MAX_MB
from .base import form_page, post_data, scoped_region


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
    region = scoped_region(request, code)
    data, _files = post_data(request)
    form = RoadmapForm(data)
    return form_page(
        request,
        form=form,
        title=_("New roadmap version"),
        save=lambda: services.roadmap_create(region=region, by=request.user, data=form.to_input()),
        success_url=lambda roadmap: roadmap.get_absolute_url(),
        back_url=reverse("regions:manage", kwargs={"code": code}),
    )


@login_required
def roadmap_edit_view(request, code: str, version: int):
    region = scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    data, _files = post_data(request)
    form = RoadmapForm(data, instance=roadmap)
    return form_page(
        request,
        form=form,
        title=_("Edit the roadmap"),
        save=lambda: services.roadmap_update(roadmap=roadmap, by=request.user, data=form.to_input()),
        success_url=roadmap.get_absolute_url(),
        back_url=roadmap.get_absolute_url(),
    )


@login_required
@require_POST
def roadmap_action_view(request, code: str, version: int, action: str):
    region = scoped_region(request, code)
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
    region = scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    axis = roadmap.axes.filter(pk=pk).first() if pk else None
    if pk and axis is None:
        raise PermissionDenied(_("You cannot act for this region."))
    data, _files = post_data(request)
    form = AxisForm(data, instance=axis)
    return form_page(
        request,
        form=form,
        title=_("Roadmap axis"),
        save=lambda: services.axis_save(roadmap=roadmap, by=request.user, data=form.to_input(), axis=axis),
        success_url=roadmap.get_absolute_url(),
        back_url=roadmap.get_absolute_url(),
    )


@login_required
@accepts_upload(max_mb=ROADMAP_DOCUMENT_MAX_MB)
def roadmap_document_view(request, code: str, version: int):
    region = scoped_region(request, code)
    roadmap = selectors.roadmap_for_edit(user=request.user, region=region, version=version)
    data, files = post_data(request)
    form = RoadmapDocumentForm(data, files)
    return form_page(
        request,
        form=form,
        title=_("Add a document"),
        save=lambda: services.roadmap_document_add(roadmap=roadmap, by=request.user, **form.cleaned_data),
        success_url=roadmap.get_absolute_url(),
        back_url=roadmap.get_absolute_url(),
        extra={"multipart": True},
    )


def roadmap_document_file_view(request, code: str, version: int, pk: int):
    region = selectors.region_by_code(code=code)
    roadmap = selectors.roadmap_get(user=request.user, region=region, version=version)
    document = get_object_or_404(roadmap.documents.all(), pk=pk)
    return file_download(document.file, filename=document.title, private=False)
