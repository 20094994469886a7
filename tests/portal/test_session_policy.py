"""Session lifetimes and key rotation (issue 14): officials, coordinators and staff are signed out
after 30 minutes idle or 12 hours in all; members keep the default lifetime; every privilege
change gives the session a new key. Time is moved by editing the session's timestamps."""

import time

import pytest
from django.conf import settings
from django.test import Client

from portal import twofactor
from portal.enums import Role
from tests.auth import force_login_verified, session_cookie

pytestmark = pytest.mark.django_db

PAGE = "/fr/diaspora/experts/"


def _shift(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[getattr(twofactor, key)] = now - ago
    session.save()


@pytest.mark.parametrize("persona", ["official_a", "coordinator"])
def test_idle_session_of_an_official_ends_after_thirty_minutes(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    _shift(client, SEEN_AT=29 * 60)
    assert client.get(PAGE).status_code == 200
    _shift(client, SEEN_AT=30 * 60 + 1)

    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"] == f"/fr/accounts/login/?next={PAGE}"
    assert "_auth_user_id" not in client.session
    assert client.get("/fr/accounts/security/")["Location"].startswith("/fr/accounts/login/")


def test_activity_keeps_an_official_session_alive(client_for, official_a):
    client = client_for(official_a)
    _shift(client, SEEN_AT=25 * 60)

    client.get(PAGE)

    assert int(time.time()) - client.session[twofactor.SEEN_AT] < 5


def test_official_session_ends_twelve_hours_after_sign_in_even_when_active(client_for, official_a):
    client = client_for(official_a)
    _shift(client, AUTH_AT=12 * 3600 - 5, SEEN_AT=10)
    assert client.get(PAGE).status_code == 200
    _shift(client, AUTH_AT=12 * 3600 + 1, SEEN_AT=10)

    response = client.get(PAGE)

    assert response["Location"] == f"/fr/accounts/login/?next={PAGE}"
    assert "_auth_user_id" not in client.session


def test_ended_official_session_is_anonymous_for_the_api(client_for, official_a, taxonomy):
    client = client_for(official_a)
    _shift(client, SEEN_AT=31 * 60)

    assert client.get("/api/v1/experts/").status_code == 401


@pytest.mark.parametrize(("persona", "max_age"), [("official_a", 12 * 3600), ("member", settings.SESSION_COOKIE_AGE)])
def test_session_cookie_of_an_official_lasts_twelve_hours(persona, max_age, request):
    user = request.getfixturevalue(persona)

    response = Client().post("/fr/diaspora/login/", {"username": user.email, "password": "correct horse battery"})

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == max_age


def test_member_keeps_the_default_lifetime(client_for, member):
    client = client_for(member)
    _shift(client, AUTH_AT=13 * 3600, SEEN_AT=2 * 3600)

    response = client.get("/fr/accounts/security/")

    assert response.status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_promoting_a_signed_in_member_rotates_the_key_and_asks_for_the_second_factor(client_for, member):
    client = client_for(member)
    key_before = session_cookie(client)
    member.role = Role.OFFICIAL
    member.save(update_fields=["role"])

    response = client.get(PAGE)

    assert response["Location"] == f"/fr/accounts/two-factor/setup/?next={PAGE.replace('/', '%2F')}"
    assert session_cookie(client) != key_before
    assert client.session["_auth_user_id"] == str(member.pk)


def test_admin_changing_own_role_gets_a_new_session_key(client_for):
    from tests.factories import UserFactory

    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = client_for(admin)
    key_before = session_cookie(client)
    admin.role = Role.COORDINATOR
    admin.save(update_fields=["role"])

    assert client.get("/fr/admin/").status_code == 200
    assert session_cookie(client) != key_before


def test_verified_session_stays_verified_across_a_rotation(client_for, official_a):
    client = force_login_verified(Client(), official_a)
    official_a.role = Role.COORDINATOR
    official_a.save(update_fields=["role"])

    assert client.get(PAGE).status_code == 200
    assert twofactor.PENDING not in client.session
