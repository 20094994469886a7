"""The API answers in the caller's Accept-Language, and in English (its documentation's language)
when there is none; the pages' language cookie does not leak into it."""

import pytest
from django.conf import settings

NOT_AUTHENTICATED = {
    "en": "Authentication credentials were not provided.",
    "fr": "Informations d'authentification non fournies.",
}


def _message(response) -> str:
    return response.json()["error"]["message"]


@pytest.mark.django_db
def test_api_without_accept_language_answers_in_english(api):
    response = api.get("/api/v1/webhooks/")

    assert response.status_code == 401
    assert _message(response) == NOT_AUTHENTICATED["en"]
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_api_ignores_the_pages_language_cookie(api):
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = api.get("/api/v1/webhooks/")

    assert _message(response) == NOT_AUTHENTICATED["en"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "expected"),
    [("fr-FR,fr;q=0.9", "fr"), ("ar-MA, fr;q=0.5", "ar"), ("en", "en"), ("de, fr;q=0.4", "fr"), ("de, nl", "en")],
)
def test_api_answers_in_the_first_accept_language_it_speaks(api, header, expected):
    response = api.get("/api/v1/webhooks/", HTTP_ACCEPT_LANGUAGE=header)

    assert response["Content-Language"] == expected
    if expected in NOT_AUTHENTICATED:
        assert _message(response) == NOT_AUTHENTICATED[expected]


@pytest.mark.django_db
def test_api_unknown_address_answers_in_english(api):
    response = api.get("/api/v2/nothing/")

    assert response.status_code == 404
    assert response["Content-Language"] == "en"
