"""What the regions pages share: the POST body (or a polite refusal when it is too big), a
service's errors on the form, the region an official acts for, the generic form page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.permissions import can

from .. import selectors


def post_data(request):
    """(data, files) of a POST, or (None, None) with an error message when the body is too big."""
    if request.method != "POST":
        return None, None
    try:
        return request.POST, request.FILES
    except RequestDataTooBig:
        messages.error(request, _("What you sent is too large. Shorten the text or the file and try again."))
        return None, None


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def scoped_region(request, code: str):
    """The region of a management page; 403 for anyone who does not act for it."""
    region = selectors.region_by_code(code=code)
    if not can(request.user, "regions.manage", region):
        raise PermissionDenied(_("You cannot act for this region."))
    return region


def form_page(request, *, form, title: str, save, success_url, back_url: str = "", extra: dict | None = None):
    """Render `form`; on a valid POST call `save()` (a service) and redirect, or show its errors."""
    if form.is_bound and form.is_valid():
        try:
            obj = save()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(success_url(obj) if callable(success_url) else success_url)
    context = {"form": form, "title": title, "back_url": back_url, **(extra or {})}
    return render(request, "regions/form.html", context, status=400 if request.method == "POST" else 200)
