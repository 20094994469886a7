"""A diaspora member browses the opportunities in Arabic, filters them and expresses interest."""

import pytest

from portal.enums import Role
from projects.models import OpportunityInterest
from regions.services import territories_load
from taxonomy.services import starter_taxonomy_load
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.projects.factories import OpportunityFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_filters_and_expresses_interest(live_server, page, artifacts):
    territories_load()
    starter_taxonomy_load()
    from regions.models import Province, Region

    official = UserFactory(role=Role.OFFICIAL, regions=[Region.objects.get(code="05")])
    OpportunityFactory(title="Unité de trituration d'olives à Fquih Ben Salah", created_by=official)
    OpportunityFactory(
        title="Résidence touristique à Saïdia",
        region=Region.objects.get(code="02"),
        province=Province.objects.get(code="02.113"),
        investment_min_mad=10_000_000,
        investment_max_mad=60_000_000,
    )
    member = UserFactory(email="nadia@example.org", role=Role.MEMBER)
    base = live_server.url

    page.goto(f"{base}/ar/investment/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "فرص الاستثمار"
    assert page.locator(".card").count() == 2
    page.select_option("#id_region", "02")
    page.click(".filters button[type=submit]")
    page.wait_for_url(f"{base}/ar/investment/?*region=02*")
    # The French title in its own language and direction, marked as French on the Arabic page.
    assert page.locator(".card h2 span[lang=fr][dir=auto]").all_inner_texts() == ["Résidence touristique à Saïdia"]
    assert page.locator(".card h2 .text-language").all_inner_texts() == ["الفرنسية"]
    page.screenshot(path=str(artifacts / "projects-opportunities-ar.png"), full_page=True)

    sign_in(page, base, "nadia@example.org", "/ar/investment/")
    page.click("text=Unité de trituration d'olives à Fquih Ben Salah")
    page.fill("#id_message", "أقيم في بروكسل وأرغب في الاستثمار في جهتي.")
    page.click("text=أنا مهتم")
    assert page.locator(".message-success").inner_text() == "علمت الجهة باهتمامك. سيتصل بك أحد المسؤولين."
    assert OpportunityInterest.objects.get().investor == member
