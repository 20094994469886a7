"""The national view's map: outlines loaded by a command from the OSM TopoJSON (never copied
into the repository), credited wherever shown; without them the page shows the table only."""

import re

import pytest
from django.core.management import CommandError, call_command

from dashboards.models import RegionShape
from tests.dashboards.conftest import build_region, shared_data

pytestmark = pytest.mark.django_db

TOPOJSON = shared_data("morocco/regions_osm.topojson")
CREDIT = "© OpenStreetMap contributors (ODbL)"


@pytest.mark.skipif(not TOPOJSON.exists(), reason="reference data not available")
def test_load_region_shapes_stores_twelve_simplified_paths(territories):
    call_command("load_region_shapes", str(TOPOJSON))
    call_command("load_region_shapes", str(TOPOJSON))  # idempotent

    shapes = list(RegionShape.objects.select_related("region"))
    assert len(shapes) == 12
    assert all(s.path.startswith("M") and s.path.endswith("Z") for s in shapes)
    assert sum(len(s.path) for s in shapes) < TOPOJSON.stat().st_size  # simplified, not a copy
    assert {s.view_box for s in shapes} == {shapes[0].view_box}


def test_load_region_shapes_missing_file_is_an_error(territories, tmp_path):
    with pytest.raises(CommandError):
        call_command("load_region_shapes", str(tmp_path / "none.topojson"))


@pytest.mark.skipif(not TOPOJSON.exists(), reason="reference data not available")
def test_national_view_shows_map_with_credit_and_pilots(client_for, coordinator, region_a):
    build_region(region_a, experts=2, needs=1)
    call_command("load_region_shapes", str(TOPOJSON))

    html = client_for(coordinator).get("/fr/dashboards/national/").content.decode()

    assert html.count('class="region-shape') == 12
    assert len(re.findall(r'class="region-shape step-\d pilot"', html)) == 3
    assert CREDIT in html
    assert html.count('data-pilot="1"') == 3


def test_national_view_without_shapes_shows_the_table_only(client_for, coordinator, territories):
    html = client_for(coordinator).get("/fr/dashboards/national/").content.decode()

    assert "region-map" not in html and CREDIT not in html
    assert html.count("<tr") == 13


@pytest.mark.skipif(not TOPOJSON.exists(), reason="reference data not available")
@pytest.mark.parametrize(("language", "name"), [("fr", "Béni Mellal-Khénifra"), ("ar", "بني ملال-خنيفرة")])
def test_national_map_names_regions_has_a_legend_and_no_links_inside_an_image(
    client_for, coordinator, region_a, language, name
):
    build_region(region_a, experts=8, needs=1)
    call_command("load_region_shapes", str(TOPOJSON))

    html = client_for(coordinator).get(f"/{language}/dashboards/national/").content.decode()

    svg = html[html.index('<svg viewBox="0 0') : html.index("</svg>", html.index('<svg viewBox="0 0'))]
    assert 'role="img"' not in svg.split(">", 1)[0] and 'role="group"' in svg.split(">", 1)[0]
    assert svg.count('<a href="/') == 12
    assert svg.count('aria-label="') == 12 and f'aria-label="05 {name}' in svg
    key = html[html.index('<ol class="map-key"') : html.index("</ol>", html.index('<ol class="map-key"'))]
    assert key.count("<li>") == 12 and name in key
    legend = html[html.index('<ul class="map-legend"') : html.index("</ul>", html.index('<ul class="map-legend"'))]
    assert legend.count("<li>") == 5  # none, then four steps up to the largest region's 8
    assert "map-swatch step-4" in legend and legend.rstrip().endswith("8</li>")
