"""The regional dashboard in a phone-sized headless Chromium, in Arabic and in French: the SVG
charts are drawn with data, Arabic mirrors them, and a screenshot is kept as an artifact."""

import pytest
from django.core.cache import cache

from regions.models import Region
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.auth import force_login_verified
from tests.dashboards.conftest import build_region
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLES = {"ar": "الخبراء حسب القطاع", "fr": "Experts par secteur"}


def _sign_in(page, live_server, user, language):
    from django.conf import settings
    from django.test import Client

    client = Client()
    force_login_verified(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_dashboard_charts_render_in_browser(live_server, page, artifacts, language, direction):
    cache.clear()
    territories_load()
    if not Skill.objects.exists():
        starter_taxonomy_load()
    region = Region.objects.get(code="05")
    official = UserFactory(role="official", regions=[region])
    build_region(region, experts=6, needs=3, owner=official)
    _sign_in(page, live_server, official, language)

    page.goto(f"{live_server.url}/{language}/dashboards/region/05/")

    assert page.locator("html").get_attribute("dir") == direction
    charts = page.locator("svg.chart")
    assert charts.count() >= 10
    sector = page.locator("#chart-experts-by-sector")
    assert sector.locator("h3").inner_text() == TITLES[language]
    bar = sector.locator("svg rect").first
    assert bar.get_attribute("data-value") == "6"
    box, svg_box = bar.bounding_box(), sector.locator("svg").bounding_box()
    assert box["width"] > 20  # drawn, and readable on a 390 px phone
    # Bars grow from the reading start: right in Arabic, left in French.
    middle = svg_box["x"] + svg_box["width"] / 2
    assert (box["x"] + box["width"] > middle) if direction == "rtl" else (box["x"] < middle)
    assert page.locator("#chart-registrations svg rect").count() >= 24
    assert sector.locator("svg title").first.text_content() == TITLES[language]
    page.screenshot(path=str(artifacts / f"dashboard-{language}.png"), full_page=True)
    page.locator("#chart-needs-by-axis-status").screenshot(path=str(artifacts / f"dashboard-{language}-needs.png"))
    sector.screenshot(path=str(artifacts / f"dashboard-{language}-sector.png"))
