"""Issue 14, item 8 in a real browser: the pages whose scripts moved to static files (the place
picker, the header's language menu), a dashboard with charts, and the API documentation run
under the strict Content-Security-Policy with no violation and no request to another host."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from portal.enums import Role
from regions.models import Province, Region
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.dashboards.conftest import build_region
from tests.e2e.pages import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs before any page script (outside the page's CSP): records every violation the page reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class Watch:
    """What breaks or tests the policy on a page: violations it reports, CSP errors on the
    console, and answers received from any other origin (a request CSP blocks never leaves
    the browser, so it has no answer)."""

    def __init__(self, page, origin: str):
        self.page, self.origin, self.console, self.outside = page, origin, [], []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def _response(self, response):
        if not response.url.startswith((self.origin, "data:", "blob:")):
            self.outside.append(response.url)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")


@pytest.fixture
def watched(page, live_server):
    return page, Watch(page, live_server.url)


def _violations(page, watch) -> list[str]:
    return watch.console + watch.outside + watch.violations()


def _data():
    cache.clear()
    territories_load()
    if not Skill.objects.exists():
        starter_taxonomy_load()


def test_place_picker_and_language_menu_work_under_the_policy(live_server, watched):
    page, problems = watched
    _data()
    UserFactory(email="omar@example.org", role=Role.MEMBER)
    region = Region.objects.get(code="09")

    sign_in(page, live_server.url, "omar@example.org", "/fr/investment/projects/new/")
    page.select_option("#id_region", str(region.pk))
    visible = page.locator("#id_province option:not([hidden])").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    assert sorted(visible) == sorted(
        str(pk) for pk in Province.objects.filter(region=region).values_list("pk", flat=True)
    )
    # The language menu submits itself (its handler moved from an onchange attribute to site.js).
    page.select_option("#language-select", "ar")
    page.wait_for_url(f"{live_server.url}/ar/investment/projects/new/")

    assert _violations(page, problems) == []


def test_dashboard_charts_draw_under_the_policy(live_server, watched):
    page, problems = watched
    _data()
    region = Region.objects.get(code="05")
    official = UserFactory(email="official@example.org", role=Role.OFFICIAL, regions=[region])
    build_region(region, experts=4, needs=2, owner=official)

    sign_in(page, live_server.url, "official@example.org", "/fr/dashboards/region/05/")
    assert page.locator("svg.chart").count() > 0

    assert _violations(page, problems) == []


def test_swagger_ui_runs_under_the_policy(live_server, watched):
    page, problems = watched

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Jusur partner API" in page.locator(".swagger-ui .info .title").inner_text()

    assert _violations(page, problems) == []


def test_redoc_runs_under_the_policy_without_fonts_from_elsewhere(live_server, watched):
    page, problems = watched

    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("h1:has-text('Jusur partner API')")
    page.wait_for_load_state("networkidle")

    # ReDoc's footer always tries Redocly's logo from its CDN (no option turns it off): img-src
    # blocks it before any request leaves, and ReDoc hides the image. Nothing else is refused.
    violations = problems.violations()
    assert len(violations) == 1, violations
    directive, blocked = violations[0].split(" ", 1)
    assert directive == "img-src"
    assert urlsplit(blocked).hostname != urlsplit(live_server.url).hostname  # someone else's host
    assert blocked.endswith("/redoc/logo-mini.svg")
    assert problems.outside == []
    assert [text for text in problems.console if "logo-mini.svg" not in text] == []
    assert page.locator("img[alt='redocly logo']").count() == 0
