"""The national view in headless Chromium: the 12 regions on the map (when the outlines are
loaded), the pilots outlined, the OpenStreetMap credit shown; screenshot kept as an artifact."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from regions.models import Region
from regions.services import territories_load
from tests.auth import force_login_verified
from tests.dashboards.conftest import shared_data
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOPOJSON = shared_data("morocco/regions_osm.topojson")


@pytest.mark.skipif(not TOPOJSON.exists(), reason="reference data not available")
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_national_map_in_browser(live_server, page, artifacts, language):
    from django.conf import settings
    from django.test import Client

    cache.clear()
    territories_load()
    call_command("load_region_shapes", str(TOPOJSON))
    client = Client()
    force_login_verified(client, UserFactory(role="coordinator"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])

    page.goto(f"{live_server.url}/{language}/dashboards/national/")

    assert page.locator("svg.region-map path.region-shape").count() == 12
    assert page.locator("svg.region-map path.pilot").count() == 3
    box = page.locator("svg.region-map").bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    assert "© OpenStreetMap contributors (ODbL)" in page.locator(".dash-map .credits").inner_text()
    assert page.locator("tr[data-pilot]").count() == 3
    page.screenshot(path=str(artifacts / f"dashboard-national-{language}.png"), full_page=True)


@pytest.mark.skipif(not TOPOJSON.exists(), reason="reference data not available")
def test_national_map_keyboard_legend_and_no_nested_interactive(live_server, browser, artifacts):
    """French, desktop: the regions are links reached with Tab (not inside an image), named,
    the key names the 12 regions and the legend explains the colours; axe finds no
    nested-interactive problem and nothing serious or critical on the map."""
    from axe_playwright_python.sync_playwright import Axe
    from django.conf import settings
    from django.test import Client

    cache.clear()
    territories_load()
    call_command("load_region_shapes", str(TOPOJSON))
    for k, region in enumerate(Region.objects.order_by("code")):
        for _n in range(k % 5 * 2):  # 0 to 8 experts: every step of the colour scale
            ConsentingExpertFactory(origin_region=region)
    client = Client()
    force_login_verified(client, UserFactory(role="coordinator"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])

    page.goto(f"{live_server.url}/fr/dashboards/national/")

    assert page.locator("svg.region-map").get_attribute("role") == "group"
    assert page.locator(".map-key li").count() == 12
    assert "Béni Mellal-Khénifra" in page.locator(".map-key").inner_text()
    assert page.locator(".map-legend li").count() == 5
    focused = ""
    for _press in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement.closest('svg.region-map') ? document.activeElement.getAttribute('aria-label') : ''"
        )
        if focused:
            break
    assert focused.startswith("01 ")  # the first region of the map, by its code and name
    results = Axe().run(page, context={"include": [[".dash-map"]]}).response
    problems = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert "nested-interactive" not in [v["id"] for v in results["violations"]]
    assert problems == []
    page.screenshot(path=str(artifacts / "dashboard-national-fr-desktop.png"), full_page=True)
    page.locator(".dash-map").screenshot(path=str(artifacts / "dashboard-national-fr-desktop-map.png"))
    page.locator(".national-table").screenshot(path=str(artifacts / "dashboard-national-fr-desktop-table.png"))
    context.close()
