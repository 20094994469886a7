"""The partner admin's page: their organisation's API tokens (list, create, revoke)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import permissions

from . import selectors, services
from .forms import APITokenForm


def _require_partner(request):
    if not permissions.is_partner(request.user):
        raise PermissionDenied


@login_required
def apitoken_list(request):
    _require_partner(request)
    tokens = selectors.api_token_list(user=request.user)
    return render(request, "partners/apitoken_list.html", {"tokens": tokens, "partner": request.user.partner})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apitoken_create(request):
    _require_partner(request)
    form = APITokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.api_token_create(
                partner=request.user.partner,
                created_by=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                region=form.cleaned_data["region"],
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Rendered, not redirected: the plaintext exists only in this one response.
            return render(request, "partners/apitoken_created.html", {"token": token, "plaintext": plaintext})
    return render(request, "partners/apitoken_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def apitoken_revoke(request, pk: int):
    _require_partner(request)
    token = selectors.api_token_get(user=request.user, pk=pk)
    if request.method == "POST":
        services.api_token_revoke(token=token, by=request.user)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("partners:apitoken_list")
    return render(request, "partners/apitoken_confirm_revoke.html", {"token": token})
