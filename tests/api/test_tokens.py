"""Partner tokens: hashed at rest, scoped, expiring, revocable at once, throttled."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from partners.enums import Scope
from partners.models import APIToken
from partners.services import api_token_create, api_token_revoke

REGIONS = "/api/v1/regions/"


def _client(plaintext: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def test_token_table_holds_no_plaintext(make_token):
    tokens = [make_token([Scope.READ_PUBLIC, Scope.READ_EXPERTS]) for _ in range(3)]

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {APIToken._meta.db_table}")  # noqa: S608 - our own table name
        rows = ["|".join(str(value) for value in row) for row in cursor.fetchall()]

    assert len(rows) == 3
    for _token, plaintext in tokens:
        secret = plaintext.split("_", 2)[2]
        assert len(secret) >= 40
        assert not any(secret in row or plaintext in row for row in rows)
    assert all(len(token.digest) == 64 for token, _ in tokens)


def test_token_plaintext_is_random_and_prefixed(make_token):
    (token_a, plain_a), (token_b, plain_b) = make_token(), make_token()

    assert plain_a.startswith(f"jsr_{token_a.prefix}_")
    assert plain_a != plain_b
    assert token_a.prefix != token_b.prefix


def test_token_authenticates_and_records_last_used(make_token, territories):
    token, plaintext = make_token()

    response = _client(plaintext).get(REGIONS)

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_last_used_written_at_most_once_a_minute(make_token, territories, django_assert_num_queries):
    token, plaintext = make_token()
    client = _client(plaintext)
    client.get(REGIONS)
    token.refresh_from_db()
    first = token.last_used_at

    # token lookup, count, page: no UPDATE within the minute
    with django_assert_num_queries(3):
        client.get(REGIONS)

    token.refresh_from_db()
    assert token.last_used_at == first


def test_token_revoked_is_refused_on_the_next_request(make_token, partner_user, territories):
    token, plaintext = make_token()
    client = _client(plaintext)
    assert client.get(REGIONS).status_code == 200

    api_token_revoke(token=token, by=partner_user)
    response = client.get(REGIONS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_revoked"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_token_expired_is_refused(make_token, territories):
    _token, plaintext = make_token(expired=True)

    response = _client(plaintext).get(REGIONS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


@pytest.mark.parametrize(
    "header",
    ["Bearer jsr_00000000_notarealsecretnotarealsecretnotarealsecret", "Bearer", "Bearer a b", "Token x", "Bearer é"],
)
def test_token_invalid_is_refused(header, territories):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(REGIONS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_token_with_tampered_secret_is_refused(make_token, territories):
    _token, plaintext = make_token()

    response = _client(plaintext[:-2] + ("AA" if not plaintext.endswith("AA") else "BB")).get(REGIONS)

    assert response.status_code == 401


def test_token_without_the_scope_is_forbidden(make_token, territories):
    _token, plaintext = make_token([Scope.READ_EXPERTS])

    response = _client(plaintext).get(REGIONS)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_token_lifetime_is_at_most_a_year(partner_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(
            partner=partner_user.partner,
            created_by=partner_user,
            name="too long",
            scopes=[Scope.READ_PUBLIC],
            expires_at=timezone.now() + timedelta(days=400),
        )
    assert not APIToken.objects.exists()


def test_token_default_lifetime_is_90_days(make_token):
    token, _ = make_token()

    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


def test_token_unknown_scope_is_refused(partner_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(partner=partner_user.partner, created_by=partner_user, name="x", scopes=["admin"])


def test_throttle_answers_429_with_retry_after(make_token, territories, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    _token, plaintext = make_token()
    client = _client(plaintext)

    statuses = [client.get(REGIONS).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(REGIONS)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["retry_after"] == int(response.headers["Retry-After"])


def test_throttle_counts_each_token_separately(make_token, territories, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "2/min"}}
    client_a, client_b = _client(make_token()[1]), _client(make_token()[1])

    statuses_a = [client_a.get(REGIONS).status_code for _ in range(3)]

    assert statuses_a == [200, 200, 429]  # token A reached its own limit...
    assert client_b.get(REGIONS).status_code == 200  # ...which token B does not share


# --- The partner admin's page ------------------------------------------------------------


def test_token_page_creates_a_token_shown_once(partner_user, client_for, territories):
    client = client_for(partner_user)

    response = client.post(
        "/en/partners/tokens/new/",
        {"name": "sync", "scopes": [Scope.READ_PUBLIC, Scope.WEBHOOKS], "region": "", "lifetime_days": "90"},
    )

    assert response.status_code == 200
    token = APIToken.objects.get()
    plaintext = response.context["plaintext"]
    assert plaintext.startswith(f"jsr_{token.prefix}_")
    assert plaintext in response.content.decode()
    assert token.scopes == [Scope.READ_PUBLIC, Scope.WEBHOOKS]
    assert token.partner == partner_user.partner
    listing = client.get("/en/partners/tokens/").content.decode()
    assert token.prefix in listing
    assert plaintext not in listing
    assert _client(plaintext).get(REGIONS).status_code == 200


def test_token_page_revokes_after_confirmation(partner_user, client_for, make_token, territories):
    token, plaintext = make_token()
    client = client_for(partner_user)

    confirm = client.get(f"/en/partners/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert confirm.status_code == 200
    assert token.revoked_at is None

    response = client.post(f"/en/partners/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == partner_user
    assert _client(plaintext).get(REGIONS).status_code == 401


def test_token_page_hides_other_organisations_tokens(client_for, make_token, db):
    from portal.enums import Role
    from tests.factories import PartnerOrganisationFactory, UserFactory

    token, _ = make_token()
    stranger = UserFactory(role=Role.PARTNER, partner=PartnerOrganisationFactory())
    client = client_for(stranger)

    assert client.post(f"/en/partners/tokens/{token.pk}/revoke/").status_code == 404
    assert token.prefix not in client.get("/en/partners/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("persona", ["member", "official_a", "coordinator"])
def test_token_page_is_for_partner_users_only(persona, request, client_for):
    user = request.getfixturevalue(persona)

    assert client_for(user).get("/en/partners/tokens/").status_code == 403


def test_token_page_needs_sign_in(client):
    response = client.get("/en/partners/tokens/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_admin_creates_a_token_and_shows_it_once(client_for, db):
    from tests.factories import PartnerOrganisationFactory, UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    partner = PartnerOrganisationFactory()

    response = client_for(staff).post(
        "/en/admin/partners/apitoken/add/",
        {"partner": partner.pk, "name": "by staff", "scopes": [Scope.READ_PUBLIC], "region": "", "lifetime_days": "30"},
    )

    assert response.status_code == 200
    token = APIToken.objects.get()
    assert response.context["plaintext"].startswith(f"jsr_{token.prefix}_")
    assert token.created_by == staff


def test_erasing_who_revoked_a_token_keeps_who_created_it(partner_user, db):
    from portal.enums import Role
    from portal.privacy import personal_data_erase
    from tests.factories import UserFactory

    colleague = UserFactory(role=Role.PARTNER, partner=partner_user.partner)
    created, _ = api_token_create(partner=partner_user.partner, created_by=colleague, name="a", scopes=["read:public"])
    api_token_revoke(token=created, by=partner_user)
    own, _ = api_token_create(partner=partner_user.partner, created_by=partner_user, name="b", scopes=["read:public"])

    counts = personal_data_erase(partner_user)

    created.refresh_from_db()
    own.refresh_from_db()
    assert (created.created_by, created.revoked_by) == (colleague, None)
    assert created.revoked_at is not None  # the revocation stands; only the name goes
    assert own.created_by is None
    assert counts["partners.APIToken"] == 2
