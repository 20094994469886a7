"""The library of studies."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.body_limits import accepts_upload
from portal.downloads import file_download
from portal.permissions import can, regions_for

from .. import selectors, services
from ..forms import StudyForm, StudySearchForm
from ..models import STUDY_MAX_MB
from .base import form_page, post_data


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
    data, files = post_data(request)
    form = StudyForm(data, files, instance=study, regions=regions_for(request.user))
    return form_page(
        request,
        form=form,
        title=_("Study"),
        save=lambda: services.study_save(by=request.user, data=form.to_input(), study=study),
        success_url=lambda s: s.get_absolute_url(),
        back_url=reverse("regions:study_list"),
        extra={"multipart": True},
    )


def study_file_view(request, pk: int):
    study = selectors.study_get(pk=pk)
    # Public documents: served as attachments all the same, never rendered by the browser.
    return file_download(study.file, filename=f"jusur-study-{study.pk}", private=False)
