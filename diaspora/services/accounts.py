"""Accounts: registration, e-mail verification, password reset."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.enums import Role
from portal.notifications import notification_send

from ..models import EmailVerification

User = get_user_model()


VERIFICATION_SALT = "diaspora.email-verification"
VERIFICATION_MAX_AGE = 3 * 24 * 3600  # seconds: the link in the e-mail expires after 3 days
VERIFY_TEMPLATE = "diaspora/emails/verify_email"
PASSWORD_RESET_TEMPLATE = "diaspora/emails/password_reset"  # noqa: S105 - a template name, not a secret


def account_register(*, email: str, password: str, full_name: str, language: str) -> User | None:
    """Create a member account (active but unverified: it cannot sign in until the link in the
    verification e-mail is followed) and send that e-mail.

    If the address already has an account, nothing is created (None) and its owner is told by
    e-mail instead (an unverified owner gets a new link): the visitor sees the same "check your
    e-mail" answer either way, so sign-up does not reveal who has an account. The password is
    hashed all the same, so that both cases take the same time."""
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            make_password(password)
            _signup_attempt_tell(existing)
            return None
        user = User.objects.create_user(
            email, password, full_name=full_name, role=Role.MEMBER, preferred_language=language
        )
        EmailVerification.objects.create(user=user)
        account_verification_send(user=user)
    return user


def _email_fingerprint(email: str) -> str:
    """A keyed digest of the address: the token is signed, not encrypted, so it must not
    carry the address itself (it ends up in e-mails, browser histories and proxy logs)."""
    return salted_hmac(VERIFICATION_SALT, email.lower()).hexdigest()[:20]


def _signup_attempt_tell(user: User) -> None:
    if not account_is_verified(user):
        account_verification_send(user=user)
        return
    with translation.override(user.preferred_language):
        paths = {"login_path": reverse("login"), "reset_path": reverse("diaspora:password_reset")}
    notification_send(
        user=user, kind="diaspora.signup_attempt", template="diaspora/emails/signup_attempt", params=paths
    )


def verification_token_make(user) -> str:
    return signing.dumps({"u": user.pk, "e": _email_fingerprint(user.email)}, salt=VERIFICATION_SALT, compress=True)


def verification_path(user) -> dict:
    """The secret link of the verification e-mail, built by the worker at send time."""
    return {"path": reverse("diaspora:verify_email", kwargs={"token": verification_token_make(user)})}


def password_reset_path(user) -> dict:
    """The secret link of the password-reset e-mail, built by the worker at send time (Django's
    token is stateless: made now, it is valid until the password or the last login changes)."""
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    return {"path": reverse("diaspora:password_reset_confirm", kwargs=kwargs)}


def password_reset_send(*, user) -> None:
    notification_send(user=user, kind="diaspora.password_reset", template=PASSWORD_RESET_TEMPLATE)


def account_verification_send(*, user) -> None:
    notification_send(
        user=user,
        kind="diaspora.verify_email",
        template=VERIFY_TEMPLATE,
        params={"days": VERIFICATION_MAX_AGE // 86400},
        url="",
    )


def account_verify(*, token: str) -> User | None:
    """Mark the account of a valid, unexpired token verified; None for a bad or expired token."""
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    # A token sent to an address the account no longer has proves nothing.
    if user is None or not constant_time_compare(str(payload.get("e")), _email_fingerprint(user.email)):
        return None
    EmailVerification.objects.filter(user=user, verified_at__isnull=True).update(verified_at=timezone.now())
    return user


def account_is_verified(user) -> bool:
    return not EmailVerification.objects.filter(user=user, verified_at__isnull=True).exists()


def account_mark_verified(*, user) -> None:
    """A completed password reset also proves the address."""
    EmailVerification.objects.filter(user=user, verified_at__isnull=True).update(verified_at=timezone.now())
