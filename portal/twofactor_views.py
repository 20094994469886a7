"""The second sign-in step: enrolment, verification, recovery codes, the account's security page."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import twofactor
from .forms import AuthenticatorConfirmForm, SecondFactorForm
from .permissions import needs_strong_authentication


def _next_url(request, default: str = "portal:start"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@never_cache
@login_required
def two_factor_verify(request):
    step = twofactor.session_pending_step(request)
    if step != "verify":
        return redirect("two_factor_setup" if step == "setup" else _next_url(request))
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            verification = twofactor.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except twofactor.SecondFactorRefused:
            form.add_error(None, _("Too many wrong codes. Wait a few minutes, then try again."))
            status = 429
        else:
            if verification is not None:
                twofactor.session_mark_verified(request=request, device=verification.device)
                if verification.recovery_codes_left is not None:
                    left = verification.recovery_codes_left
                    messages.warning(
                        request,
                        ngettext(
                            "You signed in with a recovery code; %(count)d code is left.",
                            "You signed in with a recovery code; %(count)d codes are left.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(_next_url(request))
            form.add_error("code", _("This code is not valid."))
            status = 400
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request, "")}, status=status
    )


@never_cache
@login_required
def two_factor_setup(request):
    user = request.user
    step = twofactor.session_pending_step(request)
    if step == "verify" or (step is None and twofactor.has_authenticator(user=user)):
        # Replacing a working authenticator needs the old one first: not from here.
        return redirect("two_factor_verify" if step else "account_security")
    key = twofactor.totp_setup_key(request=request)
    form = AuthenticatorConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        confirmed = twofactor.totp_device_confirm(request=request, user=user, code=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            twofactor.session_mark_verified(request=request, device=device)
            request.session[twofactor.NEW_RECOVERY_CODES] = codes
            return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': _next_url(request, '')})}")
        form.add_error("code", _("This code is not valid. Check the time on your phone and try a new code."))
        status = 400
    uri = twofactor.totp_setup_uri(user=user, key=key)
    context = {
        "form": form,
        "secret": b32encode(bytes.fromhex(key)).decode(),
        "otpauth_uri": uri,
        # Drawn here, offline, as inline SVG: the secret never leaves the server for a QR service.
        "qr_svg": mark_safe(segno.make(uri, error="m").svg_inline(scale=5, border=2)),  # noqa: S308 - our own SVG
        "next": _next_url(request, ""),
        "required": needs_strong_authentication(user),
    }
    return render(request, "registration/two_factor_setup.html", context, status=status)


@never_cache
@login_required
def two_factor_recovery_codes(request):
    codes = request.session.pop(twofactor.NEW_RECOVERY_CODES, None)
    if not codes:
        return redirect("account_security")
    return render(
        request, "registration/two_factor_recovery_codes.html", {"codes": codes, "next": _next_url(request, "")}
    )


@never_cache
@login_required
def account_security(request):
    user = request.user
    context = {
        "has_authenticator": twofactor.has_authenticator(user=user),
        "recovery_codes_left": twofactor.recovery_codes_left(user=user),
        "required": needs_strong_authentication(user),
    }
    return render(request, "registration/account_security.html", context)


@require_POST
@login_required
def recovery_codes_regenerate(request):
    if not twofactor.session_is_verified(request):
        return redirect("account_security")
    request.session[twofactor.NEW_RECOVERY_CODES] = twofactor.recovery_codes_regenerate(user=request.user)
    return redirect("two_factor_recovery_codes")
