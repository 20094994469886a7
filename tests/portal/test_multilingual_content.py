"""User content in its own language and direction; multilingual needs, axes, meetings, studies
and opportunities; the machine-translation hook."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal import translation as hook
from portal.models import OutboxMessage
from portal.multilingual import shown_text
from portal.tasks import translations_fill_task
from portal.translation import NoTranslator, translations_fill
from regions import services
from regions.enums import AxisKind
from regions.forms import AxisForm, NeedForm
from regions.models import Need, RoadmapAxis, Study
from tests.projects.factories import OpportunityFactory
from tests.regions.factories import MeetingFactory, NeedFactory, RoadmapFactory

FRENCH_TITLE = "Ingénieur·e « eau potable » (H/F)"


class FakeTranslator:
    """The test double of the hook: a predictable "translation", and a record of the calls."""

    def __init__(self):
        self.calls = []

    def translate(self, *, text, source, target):
        self.calls.append((source, target))
        return f"[{target}] {text}"


@pytest.fixture
def french_need(territories):
    need = NeedFactory(title=FRENCH_TITLE, description="Étude « terrain ».", text_language="fr")
    need.axis.text_language = "fr"
    need.axis.save()
    return need


@pytest.mark.django_db
def test_arabic_need_page_marks_the_french_title_with_its_language(client, french_need):
    body = client.get(f"/ar/regions/05/needs/{french_need.pk}/").content.decode()

    assert '<h1><span lang="fr" dir="auto">Ingénieur·e « eau potable » (H/F)</span>' in body
    assert '<div class="description" lang="fr" dir="auto">Étude « terrain ».</div>' in body
    assert '<small class="text-language">الفرنسية</small>' in body


@pytest.mark.django_db
def test_french_need_page_has_no_language_marker(client, french_need):
    body = client.get(f"/fr/regions/05/needs/{french_need.pk}/").content.decode()

    assert '<h1><span lang="fr" dir="auto">' in body
    assert 'class="text-language"' not in body


@pytest.mark.django_db
def test_reader_gets_their_language_when_it_was_written(client, french_need):
    french_need.translations = {"en": {"title": "Drinking-water engineer"}}
    french_need.save()

    body = client.get(f"/en/regions/05/needs/{french_need.pk}/").content.decode()

    assert '<h1><span lang="en" dir="auto">Drinking-water engineer</span></h1>' in body
    # No English description: the original, marked.
    original = '<div class="description" lang="fr" dir="auto">Étude « terrain ».</div>'
    assert f'{original} <small class="text-language">French</small>' in body


@pytest.mark.django_db
def test_need_list_card_carries_the_title_language(client, french_need):
    body = client.get("/ar/regions/05/needs/").content.decode()

    assert '<span lang="fr" dir="auto">Ingénieur·e « eau potable » (H/F)</span>' in body


@pytest.mark.django_db
def test_need_form_asks_the_authors_language_first_and_offers_the_others(french_need):
    with translation.override("ar"):
        form = NeedForm(roadmap=french_need.roadmap)

    names = list(form.fields)
    assert names[0] == "text_language"
    assert form.initial["text_language"] == "ar"
    assert names[-6:] == [
        "translation_ar_title", "translation_ar_description", "translation_fr_title",
        "translation_fr_description", "translation_en_title", "translation_en_description",
    ]  # fmt: skip


@pytest.mark.django_db
def test_need_edit_saves_translations_and_drops_the_texts_own_language(client_for, french_need):
    official = french_need.owner
    data = {
        "text_language": "fr", "title": FRENCH_TITLE, "description": "Étude « terrain ».", "axis": french_need.axis_id,
        "format": french_need.format, "work_mode": french_need.work_mode, "experts_wanted": 1,
        "translation_fr_title": "ignored: the text's own language", "translation_ar_title": "مهندس ماء",
        "translation_en_title": "", "translation_en_description": "  ",
        "skills-TOTAL_FORMS": 0, "skills-INITIAL_FORMS": 0, "languages-TOTAL_FORMS": 0, "languages-INITIAL_FORMS": 0,
    }  # fmt: skip

    response = client_for(official).post(f"/fr/regions/05/needs/{french_need.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    french_need.refresh_from_db()
    assert french_need.translations == {"ar": {"title": "مهندس ماء"}}


@pytest.mark.django_db
def test_service_refuses_a_translation_longer_than_its_column_and_changes_nothing(french_need):
    with pytest.raises(ValidationError):
        services.need_update(
            need=french_need, by=french_need.owner, data={"translations": {"en": {"title": "x" * 201}}}
        )

    french_need.refresh_from_db()
    assert french_need.translations == {}


@pytest.mark.django_db
def test_service_refuses_a_language_the_portal_does_not_speak(french_need):
    with pytest.raises(ValidationError):
        services.need_update(need=french_need, by=french_need.owner, data={"translations": {"xx": {"title": "?"}}})

    assert Need.objects.get(pk=french_need.pk).translations == {}


@pytest.mark.django_db
def test_api_keeps_its_fields_and_adds_translations(client, french_need):
    french_need.translations = {"en": {"title": "Drinking-water engineer"}}
    french_need.save()

    row = client.get(f"/api/v1/needs/{french_need.pk}/").json()

    assert row["title"] == FRENCH_TITLE
    assert row["text_language"] == "fr"
    assert row["translations"] == {"en": {"title": "Drinking-water engineer"}}


def test_default_translator_translates_nothing():
    assert isinstance(hook.get_translator(), NoTranslator)
    assert not hook.is_enabled()
    assert NoTranslator().translate(text="Bonjour", source="fr", target="en") is None


@pytest.mark.django_db
def test_translation_hook_fills_missing_languages_as_machine_translations(french_need):
    french_need.translations = {"en": {"title": "Drinking-water engineer"}}
    french_need.save()
    double = FakeTranslator()

    added = translations_fill(french_need, translator=double)

    french_need.refresh_from_db()
    assert added == ["ar"]
    assert double.calls == [("fr", "ar"), ("fr", "ar")]
    assert french_need.translations == {
        "en": {"title": "Drinking-water engineer"},
        "ar": {"title": f"[ar] {FRENCH_TITLE}", "description": "[ar] Étude « terrain ».", "machine": True},
    }
    with translation.override("ar"):
        shown = shown_text(french_need, "title")
    assert (shown.language, shown.original, shown.machine) == ("ar", False, True)


@pytest.mark.django_db
def test_translation_hook_is_chosen_by_setting(settings):
    settings.JUSUR_TRANSLATOR = "tests.portal.test_multilingual_content.FakeTranslator"

    assert isinstance(hook.get_translator(), FakeTranslator)
    assert hook.is_enabled()


@pytest.mark.django_db
def test_saving_content_queues_no_translation_work_by_default(french_need):
    services.need_update(need=french_need, by=french_need.owner, data={"title": "Autre titre"})

    assert not OutboxMessage.objects.filter(task_name=hook.TASK_NAME).exists()


@pytest.mark.django_db
def test_saving_content_queues_the_configured_translator_once(settings, french_need):
    settings.JUSUR_TRANSLATOR = "tests.portal.test_multilingual_content.FakeTranslator"

    services.need_update(need=french_need, by=french_need.owner, data={"title": "Autre titre"})
    services.need_update(need=french_need, by=french_need.owner, data={"title": "Encore un titre"})

    queued = OutboxMessage.objects.get(task_name=hook.TASK_NAME)
    assert queued.kwargs == {"model": "regions.need", "pk": french_need.pk}
    assert translations_fill_task.run(**queued.kwargs) == ["ar", "en"]
    french_need.refresh_from_db()
    assert french_need.translations["en"] == {
        "title": "[en] Encore un titre",
        "description": "[en] Étude « terrain ».",
        "machine": True,
    }


@pytest.mark.django_db
def test_default_axes_of_a_new_roadmap_read_in_every_language(region_a, official_a):
    roadmap = services.roadmap_create(
        region=region_a,
        by=official_a,
        data={"title": "Feuille de route", "text_language": "fr", "period_start": date(2026, 1, 1),
              "period_end": date(2028, 12, 31)},
    )  # fmt: skip

    axis = roadmap.axes.get(kind=AxisKind.DIASPORA_SKILLS)
    titles = {}
    for language in ("ar", "fr", "en"):
        with translation.override(language):
            titles[language] = (str(AxisKind.DIASPORA_SKILLS.label), shown_text(axis, "title").text)
    assert axis.text_language == "fr"
    assert all(label == shown for label, shown in titles.values())
    assert len({label for label, _shown in titles.values()}) == 3


@pytest.mark.django_db
def test_opportunity_meeting_and_study_pages_show_the_readers_language(client, territories):
    opportunity = OpportunityFactory(
        title="Unité de trituration", language="fr", translations={"en": {"title": "Olive-pressing unit"}}
    )
    meeting = MeetingFactory(
        title="Comité régional",
        agenda="1. Bilan",
        text_language="fr",
        translations={"ar": {"title": "اللجنة الجهوية", "agenda": "1. الحصيلة"}},
    )
    study = Study.objects.create(
        title="Migration et territoires",
        authors="A. Alaoui",
        year=2024,
        abstract="Résumé.",
        language="fr",
        translations={"en": {"abstract": "Abstract."}},
    )

    english_opportunity = client.get(f"/en/investment/opportunities/{opportunity.pk}/").content.decode()
    arabic_meeting = client.get(f"/ar/regions/05/meetings/{meeting.pk}/").content.decode()
    english_study = client.get(f"/en/regions/studies/{study.pk}/").content.decode()

    assert '<h1><span lang="en" dir="auto">Olive-pressing unit</span></h1>' in english_opportunity
    assert '<h1><span lang="ar" dir="auto">اللجنة الجهوية</span></h1>' in arabic_meeting
    assert '<div class="description" lang="ar" dir="auto">1. الحصيلة</div>' in arabic_meeting
    # The study's title was not translated: French, marked; its abstract was.
    assert (
        '<h1><span lang="fr" dir="auto">Migration et territoires</span> <small class="text-language">French</small>'
        in (english_study)
    )
    assert '<div class="description" lang="en" dir="auto">Abstract.</div>' in english_study


@pytest.mark.django_db
def test_axis_form_keeps_the_translations_it_is_given(territories):
    roadmap = RoadmapFactory()
    form = AxisForm(
        {"kind": "diaspora_skills", "text_language": "ar", "title": "تعبئة الكفاءات", "position": 0,
         "translation_fr_title": "Mobiliser les compétences", "translation_en_title": ""},
        instance=RoadmapAxis(roadmap=roadmap),
    )  # fmt: skip

    assert form.is_valid(), form.errors
    assert form.cleaned_data["translations"] == {"fr": {"title": "Mobiliser les compétences"}}
    assert form.instance.translations == {"fr": {"title": "Mobiliser les compétences"}}
