"""The skill autocomplete follows the ARIA combobox pattern and works from the keyboard alone."""

import pytest
from django.test import Client

from diaspora.models import ExpertProfile
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_skill_is_chosen_with_the_keyboard_alone(live_server, page):
    territories_load()
    starter_taxonomy_load()
    member = UserFactory(role="member")
    ExpertProfile.objects.get_or_create(user=member)
    client = Client()
    client.force_login(member)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page.goto(f"{live_server.url}/fr/diaspora/me/edit/skills/")

    combobox = page.locator("#id_skills-0-query")
    listbox_id = combobox.get_attribute("aria-controls")
    assert listbox_id, "the combobox names the list it controls"
    assert combobox.get_attribute("role") == "combobox"
    assert combobox.get_attribute("aria-expanded") == "false"
    listbox = page.locator(f"#{listbox_id}")
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_attribute("aria-labelledby")  # named by the field's label

    combobox.focus()
    page.keyboard.type("irrig")
    page.wait_for_selector(f"#{listbox_id} li[role=option]")
    assert combobox.get_attribute("aria-expanded") == "true"
    assert combobox.get_attribute("aria-activedescendant") is None  # nothing highlighted yet

    page.keyboard.press("ArrowDown")
    first = listbox.locator("li").first
    assert combobox.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowUp")  # wraps to the last option
    last = listbox.locator("li").last
    assert combobox.get_attribute("aria-activedescendant") == last.get_attribute("id")
    page.keyboard.press("ArrowDown")  # and back to the first
    label = first.inner_text()

    page.keyboard.press("Enter")
    assert combobox.input_value() == label
    chosen = Skill.objects.get(pk=page.input_value("#id_skills-0-skill"))
    assert chosen.labels["fr"] == label
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.get_attribute("aria-activedescendant") is None
    assert page.evaluate("document.activeElement.id") == "id_skills-0-query"  # focus never left

    page.keyboard.type("x")  # editing the text forgets the chosen skill…
    page.wait_for_timeout(50)
    assert page.input_value("#id_skills-0-skill") == ""
    page.keyboard.press("Escape")  # …and Escape closes the list
    assert combobox.get_attribute("aria-expanded") == "false"
