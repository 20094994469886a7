import pytest

from regions.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "ar": "جسور بين مغاربة العالم والجهات",
    "fr": "Des ponts entre les Marocains du monde et les régions",
    "en": "Bridges between Moroccans abroad and the regions",
}


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_home_page_in_browser(live_server, page, artifacts, language, direction):
    territories_load()
    page.goto(f"{live_server.url}/{language}/")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == HEADINGS[language]
    # In Arabic the brand sits at the right edge of the header, mirrored by logical CSS.
    brand = page.locator(".brand").bounding_box()
    width = page.viewport_size["width"]
    if direction == "rtl":
        assert brand["x"] + brand["width"] > width / 2
    else:
        assert brand["x"] < width / 2
    page.screenshot(path=str(artifacts / f"home-{language}.png"), full_page=True)


def test_language_switcher_goes_to_arabic(live_server, page):
    territories_load()
    page.goto(f"{live_server.url}/fr/regions/")
    page.select_option("#language-select", "ar")
    page.wait_for_url(f"{live_server.url}/ar/regions/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "جهات المغرب"
