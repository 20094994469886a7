"""Two-factor sign-in (TOTP + recovery codes, on django-otp) and the session rules around it.

The state of a signed-in session lives in the session itself, under the keys below, so that
checking it on every request costs no query (django-otp's own middleware would load the device
on each request). It is written when the user signs in (`session_start`, from Django's
`user_logged_in` signal, so every way of signing in is covered: our form, the admin's, tests'
force_login) and re-derived whenever the user's privileges change (portal.middleware).
"""

import time
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .permissions import needs_strong_authentication, privilege_fingerprint

AUTH_AT = "jusur_auth_at"  # when the password step succeeded (epoch seconds)
SEEN_AT = "jusur_seen_at"  # last request, rounded to SEEN_RESOLUTION
PRIVILEGE = "jusur_privilege"  # permissions.privilege_fingerprint at the time
PENDING = "jusur_otp_pending"  # "verify" or "setup" until the second factor is given
VERIFIED_DEVICE = "jusur_otp_device"  # persistent id of the device that verified this session
NEW_RECOVERY_CODES = "jusur_new_recovery_codes"  # shown once, then removed
SETUP_KEY = "jusur_otp_setup_key"  # the authenticator's secret until its first code confirms it

SEEN_RESOLUTION = 60  # seconds: don't rewrite the session on every request
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator"
RECOVERY_NAME = "Recovery codes"


class SecondFactorRefused(Exception):
    """Too many wrong codes: the account's second step is locked for a while."""


@dataclass(frozen=True)
class Verification:
    device: object
    recovery_codes_left: int | None  # None when a TOTP code was used


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def _pending_step(user) -> str | None:
    if confirmed_devices(user):
        return "verify"
    return "setup" if needs_strong_authentication(user) else None


def session_start(*, request, user) -> None:
    """Record when and with which rights the session began, and whether a second step is owed."""
    now = int(time.time())
    session = request.session
    session[AUTH_AT] = session[SEEN_AT] = now
    session[PRIVILEGE] = privilege_fingerprint(user)
    session.pop(VERIFIED_DEVICE, None)
    step = _pending_step(user)
    if step:
        session[PENDING] = step
    else:
        session.pop(PENDING, None)
    if needs_strong_authentication(user):
        # The cookie dies with the absolute limit too; the middleware enforces both limits.
        session.set_expiry(settings.JUSUR_STRICT_SESSION_MAX_AGE)


def session_privilege_changed(*, request, user) -> None:
    """The user's rights changed during the session: new session key, second step re-derived."""
    session = request.session
    session.cycle_key()
    session[PRIVILEGE] = privilege_fingerprint(user)
    if session.get(VERIFIED_DEVICE):
        session.pop(PENDING, None)
    else:
        step = _pending_step(user)
        if step:
            session[PENDING] = step
        else:
            session.pop(PENDING, None)
    session.set_expiry(settings.JUSUR_STRICT_SESSION_MAX_AGE if needs_strong_authentication(user) else None)
    session[SEEN_AT] = session.get(SEEN_AT) or int(time.time())
    session.setdefault(AUTH_AT, int(time.time()))


def session_pending_step(request) -> str | None:
    return request.session.get(PENDING)


def session_is_verified(request) -> bool:
    return bool(request.session.get(VERIFIED_DEVICE)) and not request.session.get(PENDING)


def session_mark_verified(*, request, device) -> None:
    """The second factor was given: a privilege change, so the session key rotates."""
    request.session.cycle_key()
    request.session[VERIFIED_DEVICE] = device.persistent_id
    request.session.pop(PENDING, None)


def _failure_key(user) -> str:
    return f"jusur:otp-failures:{user.pk}"


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_digest(code: str, *, secret: str | None = None) -> str:
    """What the database holds for a recovery code: a digest keyed by SECRET_KEY, never the code,
    so a copy of the database (a backup, a replica, an admin screen) signs nobody in. 16 hex
    characters (64 bits) is what django-otp's token column holds; without the key the digests
    cannot be tested offline."""
    return salted_hmac("jusur.recovery-code", normalise_code(code), secret=secret, algorithm="sha256").hexdigest()[:16]


def _recovery_code_token(device: StaticDevice, code: str) -> str:
    """The digest to look the code up by. A code stored under a key since rotated into
    SECRET_KEY_FALLBACKS is re-keyed first (only if it is there, i.e. the code is right), so
    rotating SECRET_KEY voids no recovery code, as it voids no API token."""
    token = recovery_code_digest(code)
    older = [recovery_code_digest(code, secret=key) for key in settings.SECRET_KEY_FALLBACKS]
    if older:
        stored = device.token_set.filter(token__in=older).order_by("pk").first()
        if stored is not None:
            stored.token = token
            stored.save(update_fields=["token"])
    return token


def second_factor_verify(*, user, code: str) -> Verification | None:
    """Check a TOTP code or a recovery code (consumed when used).

    Two brakes, like the password step: django-otp's per-device throttle (1, 2, 4… seconds after
    each failure) and, per account, a lock after JUSUR_OTP_FAILURE_LIMIT wrong codes that lifts
    after JUSUR_OTP_COOLOFF seconds. Raises SecondFactorRefused while locked or throttled.
    """
    key = _failure_key(user)
    if cache.get(key, 0) >= settings.JUSUR_OTP_FAILURE_LIMIT:
        raise SecondFactorRefused
    devices = confirmed_devices(user)
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        raise SecondFactorRefused
    code = normalise_code(code)
    for device in devices:
        # django_otp.verify_token locks the device row, so a recovery code is used only once.
        token = _recovery_code_token(device, code) if isinstance(device, StaticDevice) else code
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            cache.delete(key)
            left = verified.token_set.count() if isinstance(verified, StaticDevice) else None
            return Verification(device=verified, recovery_codes_left=left)
    cache.add(key, 0, settings.JUSUR_OTP_COOLOFF)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.JUSUR_OTP_COOLOFF)
    return None


def totp_setup_key(*, request) -> str:
    """The secret of the authenticator being set up, kept in the session until confirmed, so
    that showing the setup page writes nothing (GET stays safe)."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = default_key()
    return key


def totp_setup_uri(*, user, key: str) -> str:
    return TOTPDevice(user=user, name=TOTP_NAME, key=key).config_url


def totp_device_confirm(*, request, user, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the authenticator being set up with a code from it: the device is saved (the
    code's time step recorded, so it cannot be replayed) with fresh recovery codes."""
    key = request.session.get(SETUP_KEY)
    try:
        token = int(normalise_code(code))
    except ValueError:
        return None
    if not key:
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not totp.verify(token, tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True, last_t=totp.t())
        codes = recovery_codes_regenerate(user=user)
    del request.session[SETUP_KEY]
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(code)) for code in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_authenticator(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
