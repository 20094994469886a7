"""The member's loop end to end (issue 18), the member on an Arabic phone, the official on a French
desktop: the member registers, completes the profile, lands on their home and sees a need for
them with its explanation, says "I can help"; the official sees the flag and invites; the member
reads the whole invitation and accepts (after confirming); the official records the engagement
completed and thanks them; the member rates it and finds it on the impact page, and chooses to
show it publicly."""

import re

import pytest

from diaspora.models import ExpertProfile
from diaspora.services import verification_path
from matching import services
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Engagement, Match
from portal.enums import EngagementFormat, Language, LanguageLevel, Role, SkillLevel, WorkMode
from portal.models import User
from regions.models import NeedLanguage, NeedSkill, Province, Region
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.matching.factories import need

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "un mot de passe assez long 2026"


def _shot(page, artifacts, name):
    page.screenshot(path=str(artifacts / f"member-loop-{name}.png"), full_page=True)


def test_member_loop_in_arabic_on_a_phone(live_server, browser, artifacts):
    territories_load()
    starter_taxonomy_load()
    region = Region.objects.get(code="05")
    province = Province.objects.filter(region=region).order_by("code").first()
    irrigation = Skill.objects.get(labels__en="irrigation systems")
    official = UserFactory(email="cri.bm@example.org", role=Role.OFFICIAL, regions=[region], preferred_language="fr")
    need_obj = need(
        owner=official,
        title="تجهيز تعاونية بنظام للري بالتنقيط",
        description="مرافقة تعاونية فلاحية في تصميم شبكة ري موفرة للماء.",
        format=EngagementFormat.REMOTE_ADVICE,
        work_mode=WorkMode.REMOTE,
        province=province,
    )
    need_obj.response_deadline = need_obj.start_date
    need_obj.save()
    NeedSkill.objects.create(need=need_obj, skill=irrigation, weight=5, essential=True, min_level=SkillLevel.BASIC)
    NeedLanguage.objects.create(need=need_obj, language=Language.AR, min_level=LanguageLevel.B2)
    base = live_server.url
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()

    # The member registers in Arabic and confirms the address (the link the e-mail carries).
    phone.goto(f"{base}/ar/diaspora/signup/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    phone.fill("#id_full_name", "سلمى العمراني")
    phone.fill("#id_email", "salma@example.org")
    phone.fill("#id_password1", PASSWORD)
    phone.fill("#id_password2", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(re.compile("/ar/diaspora/signup/done/"))
    phone.goto(base + verification_path(User.objects.get(email="salma@example.org"))["path"])

    # Signing in with no "next" lands on the member's home, which asks for a profile.
    phone.goto(f"{base}/ar/accounts/login/")
    phone.fill("#id_username", "salma@example.org")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit].button")
    phone.wait_for_url(f"{base}/ar/matching/home/")
    assert phone.locator("h1").inner_text() == "صفحتي"
    _shot(phone, artifacts, "01-home-empty")
    phone.click(".member-start a.button")
    phone.wait_for_url(f"{base}/ar/diaspora/me/edit/about/")

    # About me: the province list shows only the chosen region's provinces.
    phone.fill("#id_display_name", "سلمى العمراني")
    phone.select_option("#id_country_of_residence", "FR")
    phone.select_option("#id_origin_region", str(region.pk))
    visible = phone.eval_on_selector_all(
        "#id_origin_province option[value]:not([value=''])", "options => options.filter(o => !o.hidden).length"
    )
    assert visible == Province.objects.filter(region=region).count()
    phone.select_option("#id_origin_province", str(province.pk))
    _shot(phone, artifacts, "02-profile-about")
    phone.click("button[name=save_and_next]")
    phone.wait_for_url(f"{base}/ar/diaspora/me/edit/skills/")
    phone.fill("#id_skills-0-query", "الري")
    phone.locator(".suggestions li", has_text="أنظمة الري").first.click()
    phone.select_option("#id_skills-0-level", str(SkillLevel.EXPERT))
    phone.fill("#id_skills-0-years", "12")
    phone.select_option("#id_languages-0-language", Language.AR)
    phone.select_option("#id_languages-0-level", str(LanguageLevel.NATIVE))
    phone.click("button[name=save_and_next]")
    phone.wait_for_url(f"{base}/ar/diaspora/me/edit/offer/")
    phone.check(f"input[name=formats][value={EngagementFormat.REMOTE_ADVICE}]")
    phone.select_option("#id_work_mode", WorkMode.REMOTE)
    phone.fill("#id_hours_per_month", "10")
    phone.click("button[name=save_and_next]")
    phone.wait_for_url(f"{base}/ar/diaspora/me/edit/background/")
    phone.click("button[name=save_and_next]")
    phone.wait_for_url(f"{base}/ar/diaspora/me/consent/")
    phone.check("#id_matching")
    phone.check("#id_contact")
    phone.click("button[type=submit].button")
    phone.wait_for_url(f"{base}/ar/diaspora/me/")
    profile = ExpertProfile.objects.get(user__email="salma@example.org")
    # What the worker's matching.expert_changed task does after the profile changed.
    services.expert_rematch(profile_id=profile.pk)

    # Needs for you: the need, with the explanation officials read, in Arabic.
    phone.goto(f"{base}/ar/matching/home/")
    phone.wait_for_load_state("networkidle")  # the page's script posts what was shown ("viewed")
    card = phone.locator(f"#need-{need_obj.pk}")
    assert card.locator("h3").inner_text() == need_obj.title
    assert "أنظمة الري: تطابق تام" in card.locator(".explanation-skills").inner_text()
    # Same province as the need (its wording may name the place: the official's card does too).
    assert card.locator(".explanation-tie").inner_text().strip()
    _shot(phone, artifacts, "03-needs-for-you")
    card.locator("button.help").click()
    phone.wait_for_url(f"{base}/ar/matching/home/")
    assert phone.locator(".messages").inner_text() == "شكرا: تم إبلاغ فريق الجهة بأنك مستعد للمساعدة."
    assert phone.locator(f"#need-{need_obj.pk} .offered").count() == 1
    _shot(phone, artifacts, "04-i-can-help")
    match = Match.objects.get(need=need_obj, profile=profile)
    assert match.interested and match.seen_at is not None

    # The official sees her flagged and invites her.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    candidates = f"/fr/matching/needs/{need_obj.pk}/candidates/"
    sign_in(desk, base, "cri.bm@example.org", candidates)
    row = desk.locator(f"#match-{match.pk}")
    assert row.locator(".flag").inner_text() == "A manifesté son intérêt"
    row.locator("textarea[name=message]").fill("Bonjour Salma, votre expérience en irrigation nous aiderait.")
    row.locator("form[action$='/invite/'] button").click()
    desk.wait_for_url(f"{base}{candidates}")
    _shot(desk, artifacts, "05-official-invited")

    # The member reads the whole invitation, then accepts after confirming.
    phone.goto(f"{base}/ar/matching/home/")
    phone.locator(".my-invitations a", has_text=need_obj.title).click()
    phone.wait_for_url(f"{base}/ar/matching/invitations/{match.pk}/")
    main = phone.locator("main").inner_text()
    for text in (need_obj.description, region.name_ar, province.name_ar, need_obj.axis.title, "votre expérience"):
        assert text in main
    assert phone.locator("select[name=rating]").count() == 0
    _shot(phone, artifacts, "06-invitation")
    phone.click("a.button.accept")
    phone.wait_for_url(f"{base}/ar/matching/invitations/{match.pk}/accept/")
    _shot(phone, artifacts, "07-confirm-accept")
    assert Match.objects.get(pk=match.pk).status == MatchStatus.INVITED  # nothing before the confirmation
    phone.click("form.confirm-answer button[type=submit]")
    phone.wait_for_url(f"{base}/ar/matching/invitations/{match.pk}/")
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED

    # The official records it completed, with the deliverable and the region's thanks.
    desk.reload()
    row = desk.locator(f"#match-{match.pk}")
    assert "salma@example.org" in row.locator(".contact").inner_text()
    row.locator("details.engagement-owner summary").click()
    row.locator("select[name=status]").select_option(EngagementStatus.COMPLETED)
    row.locator("textarea[name=note]").fill("Plan du réseau goutte-à-goutte livré.")
    row.locator("textarea[name=thanks]").fill("Merci Salma, la coopérative irrigue déjà 12 hectares.")
    row.locator("select[name=rating]").select_option("5")
    row.locator("details.engagement-owner button[type=submit]").click()
    desk.wait_for_url(f"{base}{candidates}")
    _shot(desk, artifacts, "08-official-completed")

    # The member rates it, then finds it on the impact page and shows it publicly.
    phone.goto(f"{base}/ar/matching/invitations/{match.pk}/")
    phone.select_option("select[name=rating]", "5")
    phone.click("form.rating-form button[type=submit]")
    phone.wait_for_url(f"{base}/ar/matching/invitations/{match.pk}/")
    phone.goto(f"{base}/ar/matching/impact/")
    impact = phone.locator("main").inner_text()
    assert "Plan du réseau goutte-à-goutte livré." in impact
    assert "la coopérative irrigue déjà 12 hectares" in impact
    assert f"ساهم في احتياج واحد في {region.name_ar}" in impact
    phone.click("section.public-line button[type=submit]")
    phone.wait_for_url(f"{base}/ar/matching/impact/")
    _shot(phone, artifacts, "09-impact")
    phone.goto(f"{base}/ar/matching/contributors/")
    assert "سلمى العمراني" in phone.locator(".contributors").inner_text()

    # The needs list on the phone starts with the needs: the filters are folded.
    phone.goto(f"{base}/ar/regions/needs/")
    assert phone.locator("details.filters-panel").get_attribute("open") is None
    assert phone.locator(".need-list li").first.bounding_box()["y"] < 844
    _shot(phone, artifacts, "10-needs-list")

    engagement = Engagement.objects.get(match=match)
    assert (engagement.status, engagement.owner_rating, engagement.expert_rating) == (EngagementStatus.COMPLETED, 5, 5)
