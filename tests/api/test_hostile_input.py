"""Hostile input to the API that used to answer 500: each gets a 4xx in the usual error format
(issue 14, item 11), and single-line fields refuse line breaks (item 9)."""

import json

import pytest

from partners.enums import Scope
from partners.models import NeedProposal, WebhookSubscription
from tests.api.test_need_proposals import URL
from tests.api.test_need_proposals import body as body

pytestmark = pytest.mark.django_db
SURROGATE = "\ud800"
ONE_LINE_FR = (
    "Ce champ tient sur une ligne : retirez les retours à la ligne, tabulations et autres caractères de contrôle."
)


def _post_raw(client, url: str, payload: dict):
    # ensure_ascii keeps the lone surrogate as the JSON escape "\ud800" (valid JSON, no UTF-8).
    return client.post(url, json.dumps(payload, ensure_ascii=True), content_type="application/json")


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("format", SURROGATE, "format"),
        ("axis_kind", "x" + SURROGATE, "axis_kind"),
        ("text_language", SURROGATE, "text_language"),
        ("work_mode", SURROGATE, "work_mode"),
        ("languages", [{"language": SURROGATE, "min_level": 4}], "languages"),
    ],
)
def test_proposal_choice_with_a_lone_surrogate_is_a_400(token_client, body, field, value, where):
    client = token_client([Scope.WRITE_NEEDS])

    response = _post_raw(client, URL, {**body, field: value})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [where]
    assert "\ufffd" in json.dumps(error["fields"], ensure_ascii=False)  # the echoed input, replaced
    assert not NeedProposal.objects.exists()


def test_webhook_event_with_a_lone_surrogate_is_a_400(token_client):
    client = token_client([Scope.READ_PUBLIC, Scope.WEBHOOKS])

    response = _post_raw(client, "/api/v1/webhooks/", {"url": "https://example.org/hook", "events": [SURROGATE]})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["events"]
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("title", ["Irrigation\r\nBcc: victim@example.org", "Tab\there", "Line\u2028separator"])
def test_proposal_title_with_a_line_break_is_a_400(token_client, body, title):
    client = token_client([Scope.WRITE_NEEDS])

    response = client.post(URL, {**body, "title": title}, format="json", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"title": [ONE_LINE_FR]}
    assert not NeedProposal.objects.exists()


@pytest.mark.parametrize("start_date", ["9999-12-31", "0001-01-01"])
def test_proposal_start_date_out_of_range_is_a_400(token_client, body, start_date):
    client = token_client([Scope.WRITE_NEEDS])

    response = client.post(URL, {**body, "start_date": start_date, "duration_days": 3650}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["start_date"]
    assert not NeedProposal.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/experts/?skill_id=",
        "/api/v1/roadmaps/?version=",
        "/api/v1/studies/?year_min=",
        "/api/v1/studies/?year_max=",
        "/api/v1/webhook-deliveries/?subscription_id=",
    ],
)
@pytest.mark.parametrize("value", ["-1.7765960056529272e%2B157", "28624267319921471488", "1.5"])
def test_integer_filter_past_64_bits_or_not_whole_is_a_400(territories, token_client, path, value):
    # schemathesis found the first on the SQLite demo: a 500 (OverflowError binding the value).
    client = token_client([Scope.READ_EXPERTS, Scope.READ_PUBLIC, Scope.WEBHOOKS])

    response = client.get(path + value)

    assert response.status_code == 400, response.content
    assert set(response.json()["error"]["fields"]) == {path.rsplit("?", 1)[1].rstrip("=")}
