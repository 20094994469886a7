"""A member fills the guided profile form in Arabic (right-to-left) on a phone-sized screen."""

import pytest

from diaspora.models import ExpertProfile
from portal.enums import EngagementFormat, Language, LanguageLevel, SkillLevel, WorkMode
from regions.models import Region
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_fills_the_profile_in_arabic(live_server, page, artifacts):
    territories_load()
    starter_taxonomy_load()
    user = UserFactory(email="salma@example.org")
    irrigation = Skill.objects.get(labels__en="irrigation systems")
    oriental = Region.objects.get(code="02")
    province = oriental.provinces.order_by("code").first()
    commune = province.communes.order_by("code").last()
    base = live_server.url

    # Sign in through the Arabic sign-in page.
    page.goto(f"{base}/ar/accounts/login/?next=/ar/diaspora/me/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_username", "salma@example.org")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit].button")
    page.wait_for_url(f"{base}/ar/diaspora/me/edit/about/")

    # Step 1: about me.
    assert page.locator("h1").inner_text() == "نبذة عني"
    page.fill("#id_display_name", "سلمى العمراني")
    page.fill("#id_birth_year", "1987")
    page.select_option("#id_country_of_residence", "FR")
    page.fill("#id_city", "ليون")
    page.select_option("#id_origin_region", str(oriental.pk))
    page.select_option("#id_origin_province", str(province.pk))
    page.wait_for_selector(f"#id_origin_commune option[value='{commune.pk}']", state="attached")
    page.select_option("#id_origin_commune", str(commune.pk))
    page.fill("#id_bio", "مهندسة في الري <script>alert(1)</script>")
    page.screenshot(path=str(artifacts / "diaspora-profile-ar-about.png"), full_page=True)
    page.click("button[name=save_and_next]")
    page.wait_for_url(f"{base}/ar/diaspora/me/edit/skills/")

    # Step 2: a skill chosen with the Arabic autocomplete, and languages.
    page.fill("#id_skills-0-query", "الري")
    suggestion = page.locator(".suggestions li", has_text="أنظمة الري")
    suggestion.first.click()
    assert page.input_value("#id_skills-0-skill") == str(irrigation.pk)
    page.select_option("#id_skills-0-level", str(SkillLevel.EXPERT))
    page.fill("#id_skills-0-years", "12")
    page.select_option("#id_languages-0-language", Language.AR)
    page.select_option("#id_languages-0-level", str(LanguageLevel.NATIVE))
    page.click("button[data-add-row=languages]")
    page.select_option("#id_languages-1-language", Language.FR)
    page.select_option("#id_languages-1-level", str(LanguageLevel.C2))
    page.screenshot(path=str(artifacts / "diaspora-profile-ar-skills.png"), full_page=True)
    page.click("button[name=save_and_next]")
    page.wait_for_url(f"{base}/ar/diaspora/me/edit/offer/")

    # Step 3: what I offer.
    page.check(f"input[name=formats][value={EngagementFormat.MENTORING}]")
    page.check(f"input[name=formats][value={EngagementFormat.REMOTE_ADVICE}]")
    page.select_option("#id_work_mode", WorkMode.REMOTE)
    page.fill("#id_hours_per_month", "10")
    page.fill("#id_available_from", "2027-01-01")
    page.click("button[name=save_and_next]")
    page.wait_for_url(f"{base}/ar/diaspora/me/edit/background/")
    page.click("button[name=save_and_next]")
    page.wait_for_url(f"{base}/ar/diaspora/me/consent/")

    # Consent: nothing pre-ticked; the member grants matching only.
    assert page.locator("input[type=checkbox]:checked").count() == 0
    page.check("#id_matching")
    page.click("button[type=submit].button")
    page.wait_for_url(f"{base}/ar/diaspora/me/")
    assert "<script>alert(1)</script>" in page.locator(".bio").inner_text()  # shown as text
    page.screenshot(path=str(artifacts / "diaspora-profile-ar-done.png"), full_page=True)

    profile = ExpertProfile.objects.get(user=user)
    assert (profile.display_name, profile.birth_year, profile.city) == ("سلمى العمراني", 1987, "ليون")
    assert (profile.country_of_residence.code, profile.origin_region_id) == ("FR", oriental.pk)
    assert (profile.origin_province_id, profile.origin_commune_id) == (province.pk, commune.pk)
    assert profile.bio == "مهندسة في الري <script>alert(1)</script>"
    assert list(profile.skills.values_list("skill_id", "level", "years")) == [(irrigation.pk, SkillLevel.EXPERT, 12)]
    assert sorted(profile.languages.values_list("language", "level")) == [
        (Language.AR, LanguageLevel.NATIVE),
        (Language.FR, LanguageLevel.C2),
    ]
    assert sorted(profile.formats.values_list("format", flat=True)) == ["mentoring", "remote_advice"]
    assert (profile.work_mode, profile.hours_per_month, str(profile.available_from)) == ("remote", 10, "2027-01-01")
    assert (profile.consent_matching, profile.consent_contact) == (True, False)
