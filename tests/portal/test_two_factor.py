"""Two-step sign-in (issue 14): required for officials, coordinators and staff, optional for
members and partner users; recovery codes; throttling; the admin and the API behind it."""

import time
from base64 import b32decode, b32encode
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import twofactor
from portal.enums import Role
from tests.auth import force_login_verified, session_cookie
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
VERIFY = "/fr/accounts/two-factor/"
SETUP = "/fr/accounts/two-factor/setup/"

# One page per kind of protected place an official or staff member reaches.
PROTECTED = [
    "/fr/dashboards/",
    "/fr/diaspora/experts/",
    "/fr/partners/proposals/",
    "/fr/regions/05/roadmap/",
    "/fr/",
    "/fr/accounts/security/",
    "/fr/admin/",
    "/fr/admin/portal/user/",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the per-account lock counter lives in the cache
    yield
    cache.clear()


def _sign_in(user, next_url="/fr/dashboards/") -> tuple[Client, object]:
    client = Client()
    response = client.post("/fr/diaspora/login/", {"username": user.email, "password": PASSWORD, "next": next_url})
    return client, response


def _totp_code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def _secret_code(secret: str) -> str:
    totp = TOTP(b32decode(secret))
    totp.time = time.time()
    return f"{totp.token():06d}"


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    return device, twofactor.recovery_codes_regenerate(user=user)


def _stored_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


@pytest.fixture
def staff_admin(db):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


# --- who owes a second step ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["official_a", "coordinator", "staff_admin"])
@pytest.mark.parametrize("url", PROTECTED)
def test_password_alone_reaches_no_protected_page_for_those_who_need_two_factor(persona, url, request):
    user = request.getfixturevalue(persona)
    client, response = _sign_in(user)
    assert response.status_code == 302

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP}?next=")
    assert client.session[twofactor.PENDING] == "setup"


def test_password_alone_sends_an_enrolled_official_to_the_second_step(official_a):
    _enrolled(official_a)
    client, response = _sign_in(official_a)

    assert client.get(response["Location"])["Location"] == f"{VERIFY}?next=%2Ffr%2Fdashboards%2F"
    assert client.get("/fr/admin/")["Location"] == f"{VERIFY}?next=%2Ffr%2Fadmin%2F"


def test_unverified_official_session_is_anonymous_for_the_api(official_a, taxonomy):
    client, _response = _sign_in(official_a)

    response = client.get("/api/v1/experts/")

    assert response.status_code == 401  # as for an anonymous caller
    assert force_login_verified(Client(), official_a).get("/api/v1/experts/").status_code == 200


def test_unverified_staff_session_has_no_admin_permission_even_past_the_middleware(rf, staff_admin):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/fr/admin/")
    request.user, request.session = staff_admin, SessionStore()
    request.session[twofactor.PENDING] = "verify"
    assert admin.site.has_permission(request) is False
    request.session[twofactor.VERIFIED_DEVICE] = "otp_static.staticdevice/1"
    del request.session[twofactor.PENDING]
    assert admin.site.has_permission(request) is True


def test_signing_in_through_the_admin_form_still_owes_the_second_step(staff_admin):
    client = Client()
    form = {"username": staff_admin.email, "password": PASSWORD, "next": "/fr/admin/"}
    response = client.post("/fr/admin/login/", form)
    assert response["Location"] == "/fr/admin/"

    assert client.get("/fr/admin/")["Location"] == f"{SETUP}?next=%2Ffr%2Fadmin%2F"


def test_verified_staff_reaches_the_admin(client_for, staff_admin):
    assert client_for(staff_admin).get("/fr/admin/portal/user/").status_code == 200


@pytest.mark.parametrize("persona", ["member", "partner_user"])
def test_members_and_partners_without_a_device_sign_in_as_before(persona, request):
    user = request.getfixturevalue(persona)
    client, response = _sign_in(user, next_url="/fr/accounts/security/")

    assert response["Location"] == "/fr/accounts/security/"
    assert twofactor.PENDING not in client.session
    assert client.get("/fr/accounts/security/").status_code == 200


def test_pending_user_may_still_switch_language_and_sign_out(official_a):
    client, _response = _sign_in(official_a)

    assert client.post("/fr/i18n/setlang/", {"language": "ar", "next": "/ar/"}).status_code == 302
    assert client.post("/fr/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


# --- the second step -----------------------------------------------------------------------


def test_totp_code_verifies_the_session_and_rotates_its_key(official_a):
    device, _codes = _enrolled(official_a)
    client, _response = _sign_in(official_a)
    key_before = session_cookie(client)

    response = client.post(VERIFY, {"code": _totp_code(device), "next": "/fr/dashboards/"})

    assert response["Location"] == "/fr/dashboards/"
    assert session_cookie(client) != key_before
    assert client.session[twofactor.VERIFIED_DEVICE] == device.persistent_id
    assert client.get("/fr/diaspora/experts/").status_code == 200


def test_recovery_code_works_once(official_a):
    _device, codes = _enrolled(official_a)
    client, _response = _sign_in(official_a)

    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/fr/dashboards/"})

    assert response["Location"] == "/fr/dashboards/"
    assert StaticToken.objects.filter(device__user=official_a).count() == 9
    again, _response = _sign_in(official_a)
    StaticDevice.objects.filter(user=official_a).update(throttling_failure_count=0)
    response = again.post(VERIFY, {"code": codes[0], "next": "/fr/dashboards/"})
    assert response.status_code == 400
    assert again.session[twofactor.PENDING] == "verify"
    assert again.get("/fr/dashboards/").status_code == 302


def test_wrong_code_is_refused_then_the_device_is_throttled(official_a):
    device, _codes = _enrolled(official_a)
    client, _response = _sign_in(official_a)

    wrong = client.post(VERIFY, {"code": "000000x", "next": "/fr/dashboards/"})
    right_too_soon = client.post(VERIFY, {"code": _totp_code(device), "next": "/fr/dashboards/"})

    assert wrong.status_code == 400
    assert "Ce code n’est pas valide." in wrong.content.decode()
    assert right_too_soon.status_code == 429
    assert client.session[twofactor.PENDING] == "verify"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_five_wrong_codes_lock_the_account_second_step_for_the_cooloff(official_a):
    device, _codes = _enrolled(official_a)
    client, _response = _sign_in(official_a)
    for _ in range(5):
        # Past each device's own growing delay, so that only the account lock can refuse.
        past = timezone.now() - timedelta(hours=1)
        TOTPDevice.objects.filter(user=official_a).update(throttling_failure_timestamp=past)
        StaticDevice.objects.filter(user=official_a).update(throttling_failure_timestamp=past)
        assert client.post(VERIFY, {"code": "999999"}).status_code == 400
    TOTPDevice.objects.filter(user=official_a).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=official_a).update(throttling_failure_count=0)

    response = client.post(VERIFY, {"code": _totp_code(device)})

    assert response.status_code == 429
    assert client.session[twofactor.PENDING] == "verify"
    cache.clear()  # the cool-off has passed
    assert client.post(VERIFY, {"code": _totp_code(device), "next": "/fr/dashboards/"}).status_code == 302


# --- enrolment -----------------------------------------------------------------------------


def test_official_without_a_device_enrols_and_sees_ten_recovery_codes_once(official_a):
    client, _response = _sign_in(official_a)

    page = client.get(f"{SETUP}?next=/fr/dashboards/")
    secret = page.context["secret"]
    assert page.status_code == 200
    assert secret in page.content.decode()
    assert "<svg" in page.content.decode()
    assert page.context["otpauth_uri"].startswith("otpauth://totp/Jusur%3A")
    assert not TOTPDevice.objects.exists()  # showing the page wrote nothing
    assert client.get(SETUP).context["secret"] == secret  # a reload shows the same key
    assert client.post(SETUP, {"code": "123456"}).status_code == 400
    response = client.post(SETUP, {"code": _secret_code(secret), "next": "/fr/dashboards/"})

    assert response["Location"] == "/fr/accounts/two-factor/recovery-codes/?next=%2Ffr%2Fdashboards%2F"
    codes = client.get(response["Location"]).context["codes"]
    assert len(set(codes)) == 10
    assert _stored_codes(official_a) == {twofactor.recovery_code_digest(code) for code in codes}
    assert client.get("/fr/accounts/two-factor/recovery-codes/")["Location"] == "/fr/accounts/security/"
    device = TOTPDevice.objects.get(user=official_a)
    assert (device.confirmed, b32encode(device.bin_key).decode()) == (True, secret)
    assert client.get("/fr/diaspora/experts/").status_code == 200


def test_member_opts_in_and_then_needs_the_second_step(client_for, member):
    client = client_for(member)
    assert "Set up two-step sign-in" in client.get("/en/accounts/security/").content.decode()
    secret = client.get(SETUP).context["secret"]
    client.post(SETUP, {"code": _secret_code(secret)})
    device = TOTPDevice.objects.get(user=member)

    client, _response = _sign_in(member, next_url="/fr/diaspora/me/")

    assert client.get("/fr/diaspora/me/")["Location"] == f"{VERIFY}?next=%2Ffr%2Fdiaspora%2Fme%2F"
    assert client.post(VERIFY, {"code": _totp_code(device, offset=1)}).status_code == 302


def test_an_enrolled_user_cannot_replace_the_authenticator_from_the_setup_page(client_for, member):
    _enrolled(member)
    client = force_login_verified(Client(), member)

    assert client.get(SETUP)["Location"] == "/fr/accounts/security/"


def test_new_recovery_codes_replace_the_old_ones(client_for, official_a):
    _device, old = _enrolled(official_a)
    client = client_for(official_a)

    response = client.post("/fr/accounts/two-factor/recovery-codes/new/")

    new = client.get(response["Location"]).context["codes"]
    assert not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=official_a).count() == 10


# --- pages in every language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [
        ("ar", "rtl", "الخطوة الثانية لتسجيل الدخول"),
        ("fr", "ltr", "Deuxième étape de connexion"),
        ("en", "ltr", "Second sign-in step"),
    ],
)
def test_second_step_page_in_each_language(official_a, language, direction, title):
    _enrolled(official_a)
    client, _response = _sign_in(official_a)

    content = client.get(f"/{language}/accounts/two-factor/").content.decode()

    assert f'<html lang="{language}" dir="{direction}">' in content
    assert f"<h1>{title}</h1>" in content


# --- make demo ------------------------------------------------------------------------------


def test_demo_accounts_that_need_two_factor_sign_in_with_the_printed_recovery_code(territories):
    from portal import demo

    lines = demo.seed({})
    demo.seed({})  # idempotent: tops the code up, never beyond its copies

    assert any("12345678" in line and "official.bmk@demo.jusur.ma" in line for line in lines)
    digest = twofactor.recovery_code_digest("12345678")
    assert StaticToken.objects.filter(device__user__email="coordinator@demo.jusur.ma", token=digest).count() == 20
    assert not StaticDevice.objects.filter(user__email="member@demo.jusur.ma").exists()
    for email, page in [
        ("official.bmk@demo.jusur.ma", "/fr/diaspora/experts/"),
        ("official.bmk@demo.jusur.ma", "/fr/diaspora/experts/"),
        ("admin@demo.jusur.ma", "/fr/admin/"),
    ]:
        client = Client()
        client.post("/fr/diaspora/login/", {"username": email, "password": demo.DEMO_PASSWORD})
        assert client.get(page).status_code == 302
        response = client.post(VERIFY, {"code": "12345678", "next": page})
        assert response["Location"] == page
        assert client.get(page).status_code == 200


def test_export_lists_second_factor_devices_without_secrets_and_erasure_removes_them(member):
    from portal.privacy import personal_data_erase, personal_data_export

    device, codes = _enrolled(member)

    export = personal_data_export(member)
    erased = personal_data_erase(member)

    text = str(export)
    assert export["models"]["otp_totp.TOTPDevice"][0]["name"] == "Authenticator"
    assert export["models"]["otp_static.StaticDevice"][0]["confirmed"] is True
    assert device.key not in text and not any(code in text for code in codes)
    assert (erased["otp_totp.TOTPDevice"], erased["otp_static.StaticDevice"]) == (1, 1)
    assert not StaticToken.objects.exists()


def test_pending_session_cannot_make_new_recovery_codes(official_a):
    _device, codes = _enrolled(official_a)
    client, _response = _sign_in(official_a)

    response = client.post("/fr/accounts/two-factor/recovery-codes/new/")

    assert response["Location"].startswith(f"{VERIFY}?next=")
    assert _stored_codes(official_a) == {twofactor.recovery_code_digest(code) for code in codes}


@pytest.mark.parametrize(
    ("language", "title", "security"),
    [
        ("ar", "إعداد تسجيل الدخول بخطوتين", "أمان تسجيل الدخول"),
        ("fr", "Activer la connexion en deux étapes", "Sécurité de connexion"),
        ("en", "Set up two-step sign-in", "Sign-in security"),
    ],
)
def test_setup_and_security_pages_in_each_language(client_for, member, language, title, security):
    client = client_for(member)

    setup = client.get(f"/{language}/accounts/two-factor/setup/").content.decode()
    page = client.get(f"/{language}/accounts/security/").content.decode()

    assert f"<h1>{title}</h1>" in setup
    assert f"<h1>{security}</h1>" in page


def test_a_totp_code_is_usable_once(official_a):
    device, _codes = _enrolled(official_a)
    code = _totp_code(device)
    first, _response = _sign_in(official_a)
    assert first.post(VERIFY, {"code": code})["Location"] == "/fr/start/"  # then each role its home

    second, _response = _sign_in(official_a)
    response = second.post(VERIFY, {"code": code})

    assert response.status_code == 400
    assert second.session[twofactor.PENDING] == "verify"


def test_a_password_reset_does_not_bypass_the_second_step(official_a):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _enrolled(official_a)
    client = Client()
    uid, token = urlsafe_base64_encode(force_bytes(official_a.pk)), default_token_generator.make_token(official_a)
    form_url = client.get(f"/fr/diaspora/password-reset/{uid}/{token}/")["Location"]
    new = "a new long passphrase 42"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert "_auth_user_id" not in client.session

    client.post("/fr/diaspora/login/", {"username": official_a.email, "password": new})

    assert client.session[twofactor.PENDING] == "verify"
    assert client.get("/fr/diaspora/experts/")["Location"].startswith(VERIFY)


# --- recovery codes and authenticator keys are secrets --------------------------------------


def test_recovery_codes_are_stored_as_keyed_digests_and_still_sign_in(official_a):
    _device, codes = _enrolled(official_a)

    stored = _stored_codes(official_a)
    assert len(stored) == 10 and not stored & set(codes)
    # A copied database signs nobody in: typing a stored value is refused.
    client, _response = _sign_in(official_a)
    assert client.post(VERIFY, {"code": sorted(stored)[0], "next": "/fr/diaspora/experts/"}).status_code == 400
    for model in (TOTPDevice, StaticDevice):  # lift the throttle the refused code set
        model.objects.filter(user=official_a).update(throttling_failure_count=0)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/fr/diaspora/experts/"})
    assert response["Location"] == "/fr/diaspora/experts/"
    assert len(_stored_codes(official_a)) == 9  # used once, gone


def test_admin_pages_show_no_authenticator_key_and_no_recovery_code(official_a, staff_admin):
    device, codes = _enrolled(official_a)
    client = Client()
    force_login_verified(client, staff_admin)

    pages = [
        "/fr/admin/otp_totp/totpdevice/",
        f"/fr/admin/otp_totp/totpdevice/{device.pk}/change/",
        "/fr/admin/otp_static/staticdevice/",
        f"/fr/admin/otp_static/staticdevice/{StaticDevice.objects.get(user=official_a).pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        content = response.content.decode()
        assert response.status_code == 200, page
        assert device.key not in content, page
        assert not any(value in content for value in [*codes, *_stored_codes(official_a)]), page
    assert ">10<" in client.get("/fr/admin/otp_static/staticdevice/").content.decode()  # codes left
    assert client.get("/fr/admin/otp_static/staticdevice/add/").status_code == 403


def test_recovery_codes_outlive_a_secret_key_rotation(official_a, settings):
    _device, codes = _enrolled(official_a)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-for-the-rotation-test-" + "x" * 32

    verification = twofactor.second_factor_verify(user=official_a, code=codes[3])

    assert verification is not None and verification.recovery_codes_left == 9
    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: the other codes were not re-keyed
    assert twofactor.second_factor_verify(user=official_a, code=codes[4]) is None
