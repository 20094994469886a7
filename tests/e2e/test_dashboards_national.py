"""The national view in headless Chromium: the 12 regions on the map (when the outlines are
loaded), the pilots outlined, the OpenStreetMap credit shown; screenshot kept as an artifact."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from regions.services import territories_load
from tests.auth import force_login_verified
from tests.dashboards.conftest import shared_data
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
    assert "© OpenStreetMap contributors (ODbL)" in page.locator(".dash-map figcaption").inner_text()
    assert page.locator("tr[data-pilot]").count() == 3
    page.screenshot(path=str(artifacts / f"dashboard-national-{language}.png"), full_page=True)
