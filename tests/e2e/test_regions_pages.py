"""A region's public page in Arabic (right to left) in headless Chromium, and a member saying
"I can help" from a need's page."""

import pytest
from django.test import Client

from portal.enums import Role
from regions.models import NeedInterest, Region
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.regions.factories import NeedFactory, NeedSkillFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_need():
    if not Region.objects.exists():
        territories_load()
    if not Skill.objects.exists():
        starter_taxonomy_load()
    region = Region.objects.get(code="05")
    official = UserFactory(role=Role.OFFICIAL, regions=[region])
    roadmap = RoadmapFactory(region=region, version=1, title="Feuille de route diaspora 2024-2027")
    axis = RoadmapAxisFactory(roadmap=roadmap, kind="diaspora_skills", title="تعبئة كفاءات مغاربة العالم")
    need = NeedFactory(axis=axis, owner=official, title="تكوين مرشدين في السياحة الجبلية بأزيلال", text_language="ar")
    NeedSkillFactory(
        need=need,
        skill=Skill.objects.get(uri="http://data.europa.eu/esco/skill/4a1d8069-717c-461a-a3e5-746b226e7be7"),
        essential=True,
    )
    return need


def test_region_page_in_arabic_is_right_to_left(live_server, page, artifacts, open_need):
    page.goto(f"{live_server.url}/ar/regions/05/roadmap/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "بني ملال-خنيفرة"
    assert page.locator("#needs").inner_text() == "الحاجيات المفتوحة"
    card = page.locator(".need-card").first
    assert card.locator("h3").inner_text() == open_need.title
    # The card's accent border is on the inline-start side: the right in Arabic.
    assert card.evaluate("e => getComputedStyle(e).borderRightWidth") == "4px"
    assert card.evaluate("e => getComputedStyle(e).borderLeftWidth") == "1px"
    page.screenshot(path=str(artifacts / "region-page-ar.png"), full_page=True)


def test_member_says_they_can_help_in_arabic(live_server, page, open_need):
    member = UserFactory(role=Role.MEMBER)
    client = Client()
    client.force_login(member)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/ar/regions/05/needs/{open_need.pk}/")
    page.fill("#id_message", "مهندس في السياحة الجبلية بغرونوبل")
    page.click("#express-interest")
    page.wait_for_url(f"{live_server.url}/ar/regions/05/needs/{open_need.pk}/")
    assert page.locator(".message-success").inner_text() == "شكرا: تم إبلاغ فريق الجهة بأنك مستعد للمساعدة."
    assert list(NeedInterest.objects.values_list("user_id", "message")) == [
        (member.pk, "مهندس في السياحة الجبلية بغرونوبل")
    ]


def test_official_writes_a_need_in_arabic_picking_skills_by_name(live_server, browser, artifacts, open_need):
    """The need form names skills through the autocomplete (ESCO has 13,000+ of them), in
    Arabic here; the chosen skill is saved with its weight and level."""
    irrigation = Skill.objects.get(labels__en="irrigation systems")
    official = UserFactory(email="cri.bm@example.org", role=Role.OFFICIAL, regions=[open_need.region])
    roadmap = open_need.roadmap
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    form_url = f"/ar/regions/05/roadmaps/{roadmap.version}/needs/new/"
    sign_in(page, base, official.email, form_url)
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.fill("#id_title", "تجهيز تعاونية بنظام للري بالتنقيط")
    page.fill("#id_description", "مواكبة تعاونية فلاحية في إقليم أزيلال.")
    page.select_option("#id_text_language", "ar")
    page.select_option("#id_axis", str(open_need.axis_id))
    page.select_option("#id_format", "remote_advice")
    page.select_option("#id_work_mode", "remote")
    page.fill("#id_skills-0-query", "الري")
    page.locator(".suggestions li", has_text="أنظمة الري").first.click()
    assert page.input_value("#id_skills-0-skill") == str(irrigation.pk)
    page.fill("#id_skills-0-weight", "5")
    page.check("#id_skills-0-essential")
    page.screenshot(path=str(artifacts / "regions-need-form-ar.png"), full_page=True)
    page.get_by_role("button", name="حفظ").click()
    page.wait_for_url(f"{base}/ar/regions/05/needs/*/")

    need = roadmap.needs.get(title="تجهيز تعاونية بنظام للري بالتنقيط")
    assert list(need.skills.values_list("skill_id", "weight", "essential")) == [(irrigation.pk, 5, True)]
    assert page.locator(".messages").inner_text() == "تم الحفظ."
    context.close()
