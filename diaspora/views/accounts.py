"""Sign-in, sign-up, e-mail verification and password reset pages."""

import contextlib

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from portal.i18n import current_language
from portal.security import login_username

from .. import services
from ..forms import (
    EmailAuthenticationForm,
    NotifyingPasswordResetForm,
    ResendVerificationForm,
    SignUpForm,
)
from ..models import EmailVerification


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    template_name = "registration/login.html"


def signup(request):
    if request.user.is_authenticated:
        return redirect("diaspora:profile_detail")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether the address is new or already has an account (whose owner
        # is e-mailed instead), even when another request registered it a moment ago.
        with contextlib.suppress(IntegrityError):
            services.account_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                language=current_language(),
            )
        return redirect("diaspora:signup_done")
    return render(request, "registration/signup.html", {"form": form})


def signup_done(request):
    return render(request, "registration/signup_done.html")


def verify_email(request, token):
    user = services.account_verify(token=token)
    if user is None:
        return render(request, "registration/verify_failed.html", {"form": ResendVerificationForm()}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can sign in."))
    return redirect("login")


def verification_resend(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pending = EmailVerification.objects.filter(
            user__email__iexact=form.cleaned_data["email"], user__is_active=True, verified_at__isnull=True
        ).select_related("user")
        for row in pending:
            services.account_verification_send(user=row.user)
        # The same answer whether or not the address exists: no account enumeration.
        return redirect("diaspora:signup_done")
    return render(request, "registration/verify_resend.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = NotifyingPasswordResetForm
    template_name = "diaspora/password_reset_form.html"
    success_url = reverse_lazy("diaspora:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "diaspora/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "diaspora/password_reset_confirm.html"
    success_url = reverse_lazy("diaspora:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_mark_verified(user=form.user)  # following the link proved the address
        # Whoever locked the account by guessing cannot keep its owner out: a reset lifts the lock.
        axes_reset(username=login_username(self.request, {"username": form.user.email}))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "diaspora/password_reset_complete.html"
