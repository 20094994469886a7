"""Every label of every chart fits its box, measured as Chromium draws it (getBBox in the SVG's
own units), in Arabic, French and English, on a phone and a desktop: inside the drawing, bar
labels inside their column, and no two texts overlapping. Screenshots are kept as artifacts."""

import csv

import pytest
from django.core.cache import cache

from dashboards.charts import LABEL_WIDTH, WIDTH
from regions.models import Region
from regions.services import migration_figures_load, territories_load
from taxonomy.models import Sector, Skill
from taxonomy.services import starter_taxonomy_load
from tests.dashboards.conftest import build_region, shared_data
from tests.diaspora.factories import ConsentingExpertFactory
from tests.e2e.test_dashboards_charts import _sign_in
from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIGURES = shared_data("figures/migration_figures.csv")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
MEASURE = """svgs => svgs.map(svg => {
  const box = svg.viewBox.baseVal;
  return {
    id: svg.getAttribute("aria-labelledby"), width: box.width, height: box.height,
    texts: [...svg.querySelectorAll("text")].map(t => {
      const b = t.getBBox();
      const label = [...t.childNodes].filter(n => n.nodeName !== "title").map(n => n.textContent).join(" ");
      return {cls: t.getAttribute("class"), x: b.x, y: b.y, w: b.width, h: b.height, text: label};
    }),
  };
})"""
PARTS = {
    "figures": ".key-figures",
    "sectors": "#chart-experts-by-sector",
    "axes": "#chart-needs-by-axis-status",
    "funnel": "#chart-funnel",
    "investment": "#chart-projects-by-sector",
    "registrations": "#chart-registrations",
    "indicators": "section[aria-labelledby=h-indicators]",
}
SLACK = 0.5  # user units: anti-aliasing, not a clipped glyph


def _data(region):
    """Long labels on purpose: every ISIC section (Q, D, E, J… the longest names), projects in
    the sectors with the longest names, amounts in the tens of millions."""
    official = UserFactory(role="official", regions=[region])
    build_region(region, experts=6, needs=3, owner=official)
    for k, sector in enumerate(Sector.objects.order_by("code")):
        for _n in range(1 + k % 3):
            ConsentingExpertFactory(origin_region=region).sectors.add(sector)
    for code in ("D", "E", "Q", "J", "M"):
        ProjectFactory(region=region, sector=Sector.objects.get(code=code), amount_mad=36_113_000)
    if FIGURES.exists():
        with FIGURES.open(encoding="utf-8-sig", newline="") as handle:
            migration_figures_load(rows=list(csv.DictReader(handle)))
    return official


def _overlap(a, b) -> bool:
    return (
        a["x"] + SLACK < b["x"] + b["w"]
        and b["x"] + SLACK < a["x"] + a["w"]
        and a["y"] + SLACK < b["y"] + b["h"]
        and b["y"] + SLACK < a["y"] + a["h"]
    )


def _check(charts, rtl: bool) -> int:
    checked = 0
    for chart in charts:
        texts = [t for t in chart["texts"] if t["w"] > 0]
        for t in texts:
            where = (chart["id"], t["text"])
            assert t["x"] >= -SLACK and t["x"] + t["w"] <= chart["width"] + SLACK, where
            assert t["y"] >= -SLACK and t["y"] + t["h"] <= chart["height"] + SLACK, where
            if t["cls"] == "chart-label":
                column = (WIDTH - LABEL_WIDTH, WIDTH) if rtl else (0, LABEL_WIDTH)
                assert t["x"] >= column[0] - SLACK and t["x"] + t["w"] <= column[1] + SLACK, where
            checked += 1
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert not _overlap(a, b), (chart["id"], a["text"], b["text"])
    return checked


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_every_chart_label_fits_its_box(live_server, browser, artifacts, language):
    cache.clear()
    territories_load()
    if not Skill.objects.exists():
        starter_taxonomy_load()
    official = _data(Region.objects.get(code="05"))

    for device, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        _sign_in(page, live_server, official, language)
        page.goto(f"{live_server.url}/{language}/dashboards/region/05/")
        page.evaluate("document.fonts.ready")

        charts = page.locator("svg.chart").evaluate_all(MEASURE)

        assert len(charts) == 12
        assert _check(charts, rtl=language == "ar") > 80
        labels = page.locator("#chart-experts-by-sector svg text.chart-label")
        assert labels.count() == Sector.objects.count()
        if (language, device) in (("fr", "desktop"), ("ar", "phone"), ("en", "desktop")):
            page.screenshot(path=str(artifacts / f"dashboard-{language}-{device}.png"), full_page=True)
            for part, selector in PARTS.items():
                page.locator(selector).screenshot(path=str(artifacts / f"dashboard-{language}-{device}-{part}.png"))
        context.close()
