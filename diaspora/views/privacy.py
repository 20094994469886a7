"""The privacy centre: consent, who read my profile, export, erasure."""

import io
import json
import os
import zipfile

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.downloads import attachment
from portal.privacy import personal_data_export

from .. import services
from ..access_log import profile_read_list
from ..forms import (
    DeleteAccountForm,
)
from ..selectors import own_profile_get


@login_required
def privacy_centre(request):
    return render(request, "diaspora/privacy_centre.html", {"profile": own_profile_get(user=request.user)})


@login_required
def privacy_reads(request):
    """Who saw my profile: the member's own read log, never anyone else's (no id in the URL)."""
    page = Paginator(profile_read_list(user=request.user), 50).get_page(request.GET.get("page", 1))
    return render(request, "diaspora/privacy_reads.html", {"page_obj": page, "reads": page.object_list})


@login_required
def privacy_export(request):
    """One ZIP: data.json (every registered model's rows about the user) and the CV."""
    data = personal_data_export(request.user)
    files = data.pop("files")
    payload = {
        "generated_at": timezone.now(),
        "user_id": request.user.pk,
        **data,
        "files": [{"model": f["model"], "field": f["field"], "name": f["name"]} for f in files],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for index, f in enumerate(files, start=1):
            with f["storage"].open("rb") as handle:
                extension = os.path.splitext(f["name"])[1]
                archive.writestr(f"files/{index}-{f['field']}{extension}", handle.read())
    return attachment(buffer.getvalue(), filename="jusur-my-data.zip", content_type="application/zip", private=True)


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.account_erase(user=user)
        except ValidationError as error:  # another app refuses (e.g. an official owning needs)
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your data have been erased."))
            return redirect(f"/{translation.get_language()}/")
    return render(request, "diaspora/account_delete.html", {"form": form}, status=400 if form.errors else 200)
