"""The matching pages in Arabic (right-to-left): an official of the region reads why a candidate
was ranked and invites them; the expert opens the invitation and accepts; the official then
sees the contact details. Matches come from the factories, not from the engine."""

import pytest

from matching.enums import MatchStatus
from matching.models import Match
from portal.enums import Role
from regions.models import Region
from regions.services import territories_load
from tests.diaspora.factories import ConsentingExpertFactory
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.matching.factories import MatchFactory, SkillFactory, need

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _parts(skill, *, level, years, score):
    """An explanation as the engine stores it (ids and numbers; labels come at display)."""
    return {
        "score": score,
        "parts": {"skills": 1.0, "languages": 1.0, "availability": 0.5, "experience": 0.8, "region": 1.0},
        "skills": [
            {"skill": skill.pk, "essential": True, "credit": 1.0, "via": skill.pk, "relation": "exact"}
            | {"level": level, "years": years}
        ],
        "languages": [{"language": "ar", "min": 4, "level": 6}],
        "tie": "region",
    }


def test_official_invites_and_expert_accepts_in_arabic(live_server, browser, artifacts):
    territories_load()
    region = Region.objects.get(code="05")
    irrigation = SkillFactory(
        labels={"ar": "الري بالتنقيط", "fr": "irrigation goutte-à-goutte", "en": "drip irrigation"}
    )
    official = UserFactory(email="cri.bm@example.org", role=Role.OFFICIAL, regions=[region], preferred_language="ar")
    need_obj = need(owner=official, title="تجهيز تعاونية بنظام للري بالتنقيط", text_language="ar")
    chosen = ConsentingExpertFactory(
        display_name="سلمى العمراني", user__email="salma@example.org", user__preferred_language="ar"
    )
    runner_up = ConsentingExpertFactory(display_name="يوسف بنعلي", consent_contact=False)
    match = MatchFactory(
        need=need_obj, profile=chosen, rank=1, score=0.91, parts=_parts(irrigation, level=4, years=12, score=0.91)
    )
    runner_up_match = MatchFactory(
        need=need_obj, profile=runner_up, rank=2, score=0.64, parts=_parts(irrigation, level=3, years=4, score=0.64)
    )
    base = live_server.url
    candidates_url = f"/ar/matching/needs/{need_obj.pk}/candidates/"

    # The official reads the ranked list and why the first candidate is there.
    official_context = browser.new_context(viewport={"width": 1280, "height": 900})
    officer = official_context.new_page()
    sign_in(officer, base, "cri.bm@example.org", candidates_url)
    assert officer.locator("html").get_attribute("dir") == "rtl"
    assert officer.locator("html").get_attribute("lang") == "ar"
    first = officer.locator(f"#match-{match.pk}")
    assert "سلمى العمراني" in first.locator("h2").inner_text()
    assert first.locator(".explanation-skills li").inner_text() == "الري بالتنقيط: تطابق تام (خبير، 12 سنوات) (أساسية)"
    assert first.locator(".explanation-tie").inner_text() == "ينحدر من جهة الحاجة"
    assert first.locator(".contact").count() == 0  # nothing revealed before an answer
    # The runner-up has not agreed to be contacted: no invitation form, and the page says why.
    second = officer.locator(f"#match-{runner_up_match.pk}")
    assert second.locator("form[action$='/invite/']").count() == 0
    assert (
        second.locator(".no-contact").inner_text()
        == "لم يوافق هذا الخبير على أن يُتّصل به: لا يمكن دعوته، ولا يُخبَر بأنه رُشّح."
    )

    # … and invites her with a message.
    first.locator("textarea[name=message]").fill("مرحبا سلمى، نحتاج خبرتك في الري.")
    first.get_by_role("button", name="دعوة").click()
    officer.wait_for_url(f"{base}{candidates_url}")
    assert officer.locator(".messages").inner_text() == "أُرسلت الدعوة."
    assert officer.locator(f"#match-{match.pk} .status").inner_text() == "مدعو"
    assert Match.objects.get(pk=match.pk).status == MatchStatus.INVITED

    # The expert opens the invitation on her phone and accepts.
    expert_context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = expert_context.new_page()
    invitation_url = f"/ar/matching/invitations/{match.pk}/"
    sign_in(phone, base, "salma@example.org", invitation_url)
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("h1").inner_text() == need_obj.title
    assert region.name_ar in phone.locator("main").inner_text()
    assert phone.locator("blockquote").inner_text() == "مرحبا سلمى، نحتاج خبرتك في الري."
    phone.screenshot(path=str(artifacts / "matching-invitation-ar.png"), full_page=True)
    # Accept, then confirm on the next page (issue 18: each answer has a confirmation step).
    phone.get_by_role("link", name="قبول").click()
    phone.wait_for_url(f"{base}{invitation_url}accept/")
    phone.get_by_role("button", name="نعم، أقبل").click()
    phone.wait_for_url(f"{base}{invitation_url}")
    assert phone.locator(".messages").inner_text() == "أُرسل جوابك إلى الجهة."
    assert phone.locator("main .status").first.inner_text() == "مقبول"
    assert phone.locator("a.button.accept").count() == 0
    expert_context.close()

    # The official now sees how to reach her.
    officer.reload()
    contact = officer.locator(f"#match-{match.pk} .contact")
    assert "salma@example.org" in contact.inner_text()
    assert contact.locator("a").get_attribute("href") == "mailto:salma@example.org"
    assert officer.locator(f"#match-{match.pk} .status").inner_text() == "مقبول"
    officer.screenshot(path=str(artifacts / "matching-candidates-ar.png"), full_page=True)
    official_context.close()
