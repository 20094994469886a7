"""One error format for every 4xx, with translated messages; no 500 for odd input."""

import pytest

from partners.enums import Scope


def _error(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_error_400_lists_field_errors(api, territories):
    response = api.get("/api/v1/provinces/?region=99&region_id=abc")

    error = _error(response)
    assert response.status_code == 400
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"region", "region_id"}
    assert all(isinstance(message, str) for messages in error["fields"].values() for message in messages)


def test_error_401_without_token_where_one_is_needed(api):
    response = api.get("/api/v1/webhooks/")

    assert response.status_code == 401
    assert _error(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_error_403_for_a_missing_scope(token_client):
    response = token_client([Scope.READ_PUBLIC]).get("/api/v1/webhooks/")

    assert response.status_code == 403
    assert _error(response)["code"] == "insufficient_scope"


@pytest.mark.parametrize("url", ["/api/v1/regions/99/", "/api/v1/no-such-thing/"])
def test_error_404(url, api, territories):
    response = api.get(url)

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_error_400_for_a_garbled_cursor(api, territories):
    response = api.get("/api/v1/communes/?cursor=garbage")

    assert response.status_code == 400
    assert (_error(response)["code"], list(_error(response)["fields"])) == ("invalid", ["cursor"])


def test_error_405(api, territories):
    response = api.delete("/api/v1/regions/05/")

    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"


def test_error_415(token_client):
    response = token_client([Scope.WEBHOOKS]).post("/api/v1/webhooks/", "url=x", content_type="text/plain")

    assert response.status_code == 415
    assert _error(response)["code"] == "unsupported_media_type"


def test_error_400_for_malformed_json(token_client):
    response = token_client([Scope.WEBHOOKS]).post("/api/v1/webhooks/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert _error(response)["code"] == "parse_error"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Ce jeton d’API a été révoqué."), ("ar", "تم إلغاء رمز API هذا."), ("en", "This API token was revoked.")],
)
def test_error_message_is_translated(language, expected, make_token, territories):
    from rest_framework.test import APIClient

    _token, plaintext = make_token(revoked=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    response = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE=language)

    assert _error(response)["message"] == expected


def test_drf_messages_are_translated(api):
    response = api.get("/api/v1/webhooks/", HTTP_ACCEPT_LANGUAGE="fr")

    assert _error(response)["message"] != "Authentication credentials were not provided."
