"""A checkbox stands before its label in both directions: on the right in Arabic, on the left in
French (the account deletion's confirmation was after its label in Arabic)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_confirmation_checkbox_comes_before_its_label(live_server, page, artifacts, language):
    client = Client()
    client.force_login(UserFactory(role="member"))
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page.goto(f"{live_server.url}/{language}/diaspora/me/privacy/delete/")
    box = page.locator("#id_confirm").bounding_box()
    label = page.locator("label[for=id_confirm]").bounding_box()
    page.screenshot(path=str(artifacts / f"account-delete-{language}.png"))
    assert abs(box["y"] - label["y"]) < label["height"]  # on the label's first line
    if language == "ar":
        assert box["x"] >= label["x"] + label["width"] - 1  # right of the label
    else:
        assert box["x"] + box["width"] <= label["x"] + 1  # left of the label
