"""An investor submits a project in Arabic on a phone; the region's officer moves it on; the
investor sees the new state and the next step."""

import pytest

from portal.enums import Role
from projects.models import Project
from regions.models import Commune, Province, Region
from regions.services import territories_load
from taxonomy.models import Sector
from taxonomy.services import starter_taxonomy_load
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.files import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_investor_submits_and_follows_a_project(live_server, browser, page, artifacts, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    territories_load()
    starter_taxonomy_load()
    region = Region.objects.get(code="09")
    tiznit = Province.objects.get(code="09.581")
    commune = Commune.objects.filter(province=tiznit).order_by("code").first()
    UserFactory(email="omar@example.org", role=Role.MEMBER, preferred_language="ar")
    UserFactory(email="cri.souss@example.org", role=Role.OFFICIAL, regions=[region])
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(PDF)
    base = live_server.url

    sign_in(page, base, "omar@example.org", "/ar/investment/projects/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_title", "وحدة لتثمين زيت الأركان")
    page.fill("#id_description", "تعاونية نسائية لإنتاج زيت الأركان وتعبئته للتصدير.")
    page.select_option("#id_language", "ar")
    page.select_option("#id_sector", str(Sector.objects.get(code="C").pk))
    page.select_option("#id_region", str(region.pk))
    # The province list narrows to the chosen region.
    visible = page.locator("#id_province option:not([hidden])").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    assert sorted(visible) == sorted(
        str(pk) for pk in Province.objects.filter(region=region).values_list("pk", flat=True)
    )
    page.select_option("#id_province", str(tiznit.pk))
    page.select_option("#id_commune", str(commune.pk))
    page.fill("#id_amount_mad", "2500000")
    page.fill("#id_share_from_abroad_pct", "140")
    page.fill("#id_own_contribution_mad", "600000")
    page.fill("#id_expected_jobs", "18")
    page.check("input[name=support_needed][value=financing]")
    page.set_input_files("#id_documents", str(plan))
    page.click("form.form button[type=submit]")

    # A share above 100 % is refused with an Arabic message and nothing is saved.
    assert page.locator(".errorlist").first.inner_text() == "تحقق من أن تكون هذه القيمة أقل من 100 أو مساوية لها."
    assert Project.objects.count() == 0
    page.fill("#id_share_from_abroad_pct", "75")
    page.set_input_files("#id_documents", str(plan))
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/ar/investment/projects/*/")
    project = Project.objects.get()
    assert page.get_by_test_id("project-status").inner_text() == "مُقدَّم"
    assert "يطّلع مسؤول من الجهة على مشروعك ويفتح دراسته." in page.locator(".next-step").inner_text()
    page.screenshot(path=str(artifacts / "projects-submitted-ar.png"), full_page=True)

    # The officer of Souss-Massa opens the review.
    officer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    officer = officer_context.new_page()
    sign_in(officer, base, "cri.souss@example.org", f"/ar/investment/projects/{project.pk}/")
    officer.select_option("#id_to", "under_review")
    officer.fill("#id_note", "الملف كامل، موعد مع المركز الجهوي للاستثمار يوم الاثنين.")
    officer.click("text=نقل المشروع إلى المرحلة التالية")
    officer.wait_for_url(f"{base}/ar/investment/projects/{project.pk}/")
    officer_context.close()

    page.reload()
    assert page.get_by_test_id("project-status").inner_text() == "قيد الدراسة"
    assert "الملف كامل" in page.locator(".timeline").inner_text()
    page.screenshot(path=str(artifacts / "projects-under-review-ar.png"), full_page=True)
