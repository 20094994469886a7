"""User text in its own language and direction, in headless Chromium: an Arabic phone reading a
roadmap and a need written in French, an English reader getting the translation, and the need
form offering the other languages after the author's."""

import pytest

from portal.enums import Role
from regions.models import Region
from regions.services import territories_load
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.regions.factories import NeedFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FRENCH_TITLE = "Ingénieur·e « eau potable » (H/F) – Azilal"


@pytest.fixture
def needs():
    if not Region.objects.exists():
        territories_load()
    region = Region.objects.get(code="05")
    official = UserFactory(role=Role.OFFICIAL, regions=[region], email="official05@example.org")
    roadmap = RoadmapFactory(region=region, version=1, title="Feuille de route diaspora 2024-2027", text_language="fr")
    axis = RoadmapAxisFactory(
        roadmap=roadmap, kind="diaspora_skills", title="تعبئة كفاءات مغاربة العالم", text_language="ar"
    )
    french = NeedFactory(
        axis=axis,
        owner=official,
        title=FRENCH_TITLE,
        description="Former l’équipe de la régie (3 personnes) au suivi « qualité de l’eau ».",
        text_language="fr",
        translations={"en": {"title": "Drinking-water engineer – Azilal"}},
    )
    arabic = NeedFactory(axis=axis, owner=official, title="تكوين مرشدين في السياحة الجبلية بأزيلال", text_language="ar")
    return {"french": french, "arabic": arabic, "official": official}


def test_arabic_phone_roadmap_isolates_the_french_title(live_server, page, artifacts, needs):
    page.goto(f"{live_server.url}/ar/regions/05/roadmap/")

    title = page.locator(".need-card h3 span[lang=fr]")
    assert title.inner_text() == FRENCH_TITLE
    assert title.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.locator(".need-card h3 .text-language").first.inner_text() == "الفرنسية"
    arabic = page.locator(".need-card h3 span[lang=ar]")
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "user-text-roadmap-ar-phone.png"), full_page=True)


def test_arabic_phone_need_page_keeps_french_punctuation_in_place(live_server, page, artifacts, needs):
    need = needs["french"]
    page.goto(f"{live_server.url}/ar/regions/05/needs/{need.pk}/")

    heading = page.locator("h1 span[lang=fr]")
    assert heading.inner_text() == FRENCH_TITLE
    assert heading.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # «, then the text, then »: in a left-to-right run the opening guillemet is left of the closing one.
    boxes = heading.evaluate(
        """e => { const t = e.firstChild.textContent, r = document.createRange();
                  const at = i => { r.setStart(e.firstChild, i); r.setEnd(e.firstChild, i + 1);
                                    return r.getBoundingClientRect().left; };
                  return [at(t.indexOf('«')), at(t.indexOf('»'))]; }"""
    )
    assert boxes[0] < boxes[1]
    assert page.locator("div.description[lang=fr]").evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(artifacts / "user-text-need-ar-phone.png"), full_page=True)


def test_english_reader_gets_the_translated_title(live_server, page, artifacts, needs):
    need = needs["french"]
    page.goto(f"{live_server.url}/en/regions/05/needs/{need.pk}/")

    assert page.locator("h1 span[lang=en]").inner_text() == "Drinking-water engineer – Azilal"
    assert page.locator("h1 .text-language").count() == 0
    # The description was not translated: the French original, marked.
    assert page.locator("div.description[lang=fr] + .text-language").inner_text() == "French"
    page.screenshot(path=str(artifacts / "user-text-need-en-phone.png"), full_page=True)


def test_need_form_offers_the_other_languages_after_the_authors(live_server, page, artifacts, needs):
    need = needs["french"]
    url = f"/ar/regions/05/needs/{need.pk}/edit/"
    sign_in(page, live_server.url, needs["official"].email, url)

    assert page.locator("#id_text_language").input_value() == "fr"
    groups = page.locator("fieldset.translations details")
    assert groups.count() == 3
    # The group of the text's own language is hidden; the English one holds the translation.
    assert page.locator("details[data-translation-language=fr]").is_hidden()
    assert page.locator("details[data-translation-language=en]").get_attribute("open") is not None
    page.select_option("#id_text_language", "ar")
    assert page.locator("details[data-translation-language=ar]").is_hidden()
    assert page.locator("details[data-translation-language=fr]").is_visible()
    page.locator("details[data-translation-language=fr] summary").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "user-text-need-form-ar-phone.png"), full_page=True)
    translations = artifacts / "user-text-need-form-ar-phone-translations.png"
    page.locator("fieldset.translations").screenshot(path=str(translations))
