"""The partner user's home and their organisation's API tokens, and the officials' page of needs
proposed by partners through the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import permissions

from . import selectors, services
from .forms import APITokenForm


def _require_partner(request):
    if not permissions.can(request.user, "partners.manage_tokens"):
        raise PermissionDenied


@login_required
def partner_home(request):
    """A partner user's landing page: their organisation, tokens, webhooks, proposals, the docs."""
    home = selectors.partner_home(user=request.user)
    if home is None:
        raise PermissionDenied
    return render(request, "partners/partner_home.html", {"home": home})


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


@login_required
def need_proposal_list(request):
    """Needs proposed by partners for the regions this official acts for; 404-free for others:
    the list is simply empty, since the selector scopes it."""
    if not permissions.can(request.user, "partners.review_proposals"):
        raise PermissionDenied
    page = Paginator(selectors.need_proposal_list(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "partners/needproposal_list.html", {"page_obj": page, "proposals": page.object_list})


@login_required
@require_http_methods(["POST"])
def need_proposal_accept(request, pk: int):
    proposal = selectors.need_proposal_get(user=request.user, pk=pk)
    try:
        need = services.need_proposal_accept(proposal=proposal, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("partners:needproposal_list")
    messages.success(request, _("The proposal is now a draft need of the roadmap: review it, then publish it."))
    return redirect("regions:need_edit", code=need.region.code, pk=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def need_proposal_decline(request, pk: int):
    proposal = selectors.need_proposal_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.need_proposal_decline(proposal=proposal, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The proposal “%(title)s” was declined.") % {"title": proposal.title})
        return redirect("partners:needproposal_list")
    return render(request, "partners/needproposal_confirm_decline.html", {"proposal": proposal})
