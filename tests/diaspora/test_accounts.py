import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from diaspora.models import EmailVerification
from diaspora.services import VERIFICATION_SALT, account_register, verification_token_make
from portal.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Tamazight-Agadir-2026"


def signup(client, **overrides):
    data = {"full_name": "Yassine Ouali", "email": "yassine@example.org", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return client.post(reverse("diaspora:signup"), data)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_creates_an_unverified_member_and_sends_a_translated_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ar/diaspora/signup/",
            {"full_name": "ياسين", "email": "Yassine@Example.org", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert response.status_code == 302
    user = User.objects.get(email="yassine@example.org")
    assert (user.role, user.preferred_language, user.is_active) == (Role.MEMBER, "ar", True)
    assert EmailVerification.objects.get(user=user).verified_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["yassine@example.org"]
    assert "/ar/diaspora/verify/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "أكّد عنوان بريدك الإلكتروني في جسور"


def test_unverified_account_cannot_sign_in_until_the_link_is_followed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    login = {"username": "yassine@example.org", "password": PASSWORD}

    refused = client.post("/en/diaspora/login/", login)
    assert refused.status_code == 200
    assert "Please confirm your e-mail address first" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    verified = client.get(link_in(mail.outbox[0]).replace("http://127.0.0.1:8000", ""))
    assert verified.status_code == 302
    assert EmailVerification.objects.get().verified_at is not None

    accepted = client.post("/en/diaspora/login/", login)
    assert accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_expired_or_forged_verification_link_is_refused(client, freezer=None):
    user = account_register(email="old@example.org", password=PASSWORD, full_name="Old", language="fr")
    token = verification_token_make(user)
    expired = signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFICATION_SALT, compress=True)

    forged = client.get(reverse("diaspora:verify_email", kwargs={"token": token[:-2] + "xx"}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("diaspora.services.VERIFICATION_MAX_AGE", -1)
        too_late = client.get(reverse("diaspora:verify_email", kwargs={"token": expired}))

    assert forged.status_code == 400
    assert too_late.status_code == 400
    assert EmailVerification.objects.get(user=user).verified_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Saisissez une adresse e-mail valide."),
        ({"password2": "something-else-2026"}, "password2", "Les deux mots de passe diffèrent."),
        ({"full_name": "x" * 10_000}, "full_name", "Assurez-vous que cette valeur comporte au plus 150 caractères"),
    ],
)
def test_signup_bad_input_is_explained_in_french_and_keeps_the_rest(overrides, field, message):
    UserFactory(email="taken@example.org")
    client = Client()
    response = client.post(
        "/fr/diaspora/signup/",
        {"full_name": "Yassine Ouali", "email": "yassine@example.org", "password1": PASSWORD, "password2": PASSWORD}
        | overrides,
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    if field != "full_name":
        assert 'value="Yassine Ouali"' in response.content.decode()
    assert User.objects.count() == 1  # only the pre-existing account


def test_password_reset_sends_a_link_that_sets_a_new_password_and_verifies(client, django_capture_on_commit_callbacks):
    user = account_register(email="reset@example.org", password=PASSWORD, full_name="Reset", language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/diaspora/password-reset/", {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    path = link_in(mail.outbox[0]).replace("http://127.0.0.1:8000", "")

    form_page = client.get(path, follow=True)
    new = "Nouveau-mot-de-passe-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert EmailVerification.objects.get(user=user).verified_at is not None


def test_password_reset_pages_are_the_portals_not_the_admins(client, django_capture_on_commit_callbacks):
    """django.contrib.admin ships registration/password_reset_*.html and comes first in
    INSTALLED_APPS: pages named like that showed the admin's layout, with its breadcrumbs."""
    account_register(email="reset@example.org", password=PASSWORD, full_name="Reset", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/fr/diaspora/password-reset/", {"email": "reset@example.org"}, follow=True)
    form_page = client.get(link_in(mail.outbox[-1]).replace("http://127.0.0.1:8000", ""), follow=True)
    pages = [client.get("/fr/diaspora/password-reset/"), sent, form_page]
    for page in pages:
        names = [template.name for template in page.templates]
        assert "base.html" in names
        assert not any(name.startswith("admin/") for name in names), names


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post("/fr/diaspora/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_five_failures_lock_this_account_from_every_address():
    user = UserFactory(email="target@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post("/fr/diaspora/login/", {"username": "target@example.org", "password": "wrong"})

    locked = attacker.post(
        "/fr/diaspora/login/", {"username": "target@example.org", "password": "correct horse battery"}
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.7").post(
        "/fr/diaspora/login/", {"username": "target@example.org", "password": "correct horse battery"}
    )

    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    assert elsewhere.status_code == 429  # the account is locked (tests/diaspora/test_lockout.py)
    assert "_auth_user_id" not in attacker.session
    # 5 wrong passwords, then the right one refused while locked.
    assert AccessAttempt.objects.get(username=user.email, ip_address="203.0.113.9").failures_since_start == 6


def test_sign_out_ends_the_session(client_for, member):
    client = client_for(member)
    response = client.post("/fr/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_resend_sends_a_new_link_only_to_unverified_accounts(client, django_capture_on_commit_callbacks):
    account_register(email="pending@example.org", password=PASSWORD, full_name="Pending", language="fr")
    UserFactory(email="verified@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/fr/diaspora/verify-again/", {"email": "pending@example.org"})
        second = client.post("/fr/diaspora/verify-again/", {"email": "verified@example.org"})
        third = client.post("/fr/diaspora/verify-again/", {"email": "nobody@example.org"})

    # The same answer every time, so the form does not reveal which addresses have accounts.
    assert [r["Location"] for r in (first, second, third)] == ["/fr/diaspora/signup/done/"] * 3
    assert [m.to for m in mail.outbox] == [["pending@example.org"]]


def test_signed_in_member_visiting_signup_goes_to_the_profile(client_for, member):
    response = client_for(member).get("/fr/diaspora/signup/")
    assert response["Location"] == "/fr/diaspora/me/"
