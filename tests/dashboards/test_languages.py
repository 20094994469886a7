"""Cached figures are language-neutral: each dashboard rendered in Arabic, then French, then
English from ONE cache fill shows every label in the page's language; the migration
indicators' names, units and source notes are translated (ar, fr, en)."""

import csv
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import get_format

from regions import indicators
from regions.enums import IndicatorKey, IndicatorStatus
from regions.selectors import indicator_overview
from regions.services import migration_figures_load
from tests.dashboards.conftest import build_region, shared_data

pytestmark = pytest.mark.django_db

LANGUAGES = ("ar", "fr", "en")
ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
FIGURES_CSV = shared_data("figures/migration_figures.csv")


class _Texts(HTMLParser):
    """The text of <main>, each piece with the tags it sits in (and their classes)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, tuple]] = []

    SKIP = ("br", "input", "meta", "link", "img", "path", "rect")

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            return
        attributes = dict(attrs)
        self.stack.append((tag, f"{attributes.get('class', '')} #{attributes.get('id', '')}"))

    def handle_endtag(self, tag):
        if tag in self.SKIP or all(t != tag for t, _c in self.stack):
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and any(t == "main" for t, _c in self.stack):
            self.texts.append((data.strip(), tuple(self.stack)))


def _main_texts(html: str) -> list[tuple[str, tuple]]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _load_figures():
    with FIGURES_CSV.open(encoding="utf-8-sig", newline="") as handle:
        migration_figures_load(rows=list(csv.DictReader(handle)))


def _labels(language: str) -> set[str]:
    """Every label the indicator table may show, in `language`."""
    with translation.override(language):
        return (
            {str(label) for label in IndicatorKey.labels}
            | {str(label) for label in IndicatorStatus.labels}
            | {indicators.source_label(s) for s in indicators.SOURCES}
            | {indicators.unit_label(u) for u in indicators.UNIT_NAMES}
        )


@pytest.mark.skipif(not FIGURES_CSV.exists(), reason="reference data not available")
def test_each_language_from_one_cache_fill(client_for, official_a, coordinator, region_a, taxonomy):
    built = build_region(region_a, experts=4, needs=2)
    _load_figures()
    cache.clear()
    official, national = client_for(official_a), client_for(coordinator)
    pages, computed = {}, set()

    for language in LANGUAGES:  # Arabic first: it fills the cache
        response = official.get(f"/{language}/dashboards/region/{region_a.code}/")
        computed.add(response.context["data"]["computed_at"])
        national_page = national.get(f"/{language}/dashboards/national/").content.decode()
        pages[language] = (response.content.decode(), national_page)

    assert len(computed) == 1  # one cache fill served the three languages
    for language in ("fr", "en"):  # nothing of the Arabic that filled the cache
        for html in pages[language]:
            for text, _stack in _main_texts(html):
                assert not ARABIC.search(text), (language, text)
    for language in LANGUAGES:
        regional_html, national_html = pages[language]
        regional_text = "\n".join(text for text, _stack in _main_texts(regional_html))
        own = _labels(language)
        with translation.override(language):
            expected_rows = [indicators.indicator_label(row["key"]) for row in indicator_overview(region=region_a)]
        for text in expected_rows:
            assert text in regional_text, (language, text)
        for other in LANGUAGES:
            if other == language:
                continue
            foreign = {t for t in _labels(other) - own if not any(t in mine for mine in own)}
            for text in foreign:
                assert text not in regional_text, (language, other, text)
        for html in (regional_html, national_html):
            texts = _main_texts(html)
            if language == "ar":
                # Every label with a word in it is Arabic, but what people typed (axis and need
                # titles, charted in the roadmap section), names (HCP, ENMI) and file formats.
                typed = ("OpenStreetMap", "CSV", "XLSX", "Excel", "MAD", "ENMI", "HCP")
                for text, _stack in texts:
                    if text in built["axis"].title or text.startswith("Besoin"):
                        continue
                    if LATIN_WORD.search(text) and not ARABIC.search(text):
                        assert any(word in text for word in typed), text


def test_indicator_units_and_sources_are_translated_in_ar_and_fr():
    with FIGURES_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    for row in rows:
        for language in ("ar", "fr"):
            with translation.override(language):
                unit = indicators.unit_label(row["unit"])
                value = indicators.value_with_unit(row["value"], row["unit"])
                source = indicators.source_label(row["source"])
            assert unit != row["unit"], (language, row["unit"])
            assert row["unit"] not in value, (language, value)
            if language == "ar":
                assert ARABIC.search(source), source
        with translation.override("fr"):
            assert "first results" not in indicators.source_label(row["source"])


def test_indicator_values_read_in_the_locale():
    cases = [("5100000", "persons"), ("86.4", "percent"), ("115.3", "billion MAD")]
    expected = {
        "fr": ["5\xa0100\xa0000 personnes", "86,4\xa0%", "115,3 milliards de MAD"],
        "en": ["5,100,000 persons", "86.4%", "115.3 billion MAD"],
    }
    with translation.override("ar"):  # separators: whatever the Arabic formats module says
        group, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    expected["ar"] = [f"5{group}100{group}000 نسمة", f"86{decimal}4%", f"115{decimal}3 مليار درهم"]
    for language, values in expected.items():
        with translation.override(language):
            assert [indicators.value_with_unit(v, u) for v, u in cases] == values


@pytest.mark.skipif(not FIGURES_CSV.exists(), reason="reference data not available")
def test_indicator_page_in_arabic_has_no_english_unit_or_note(client, territories):
    _load_figures()

    html = client.get("/ar/regions/indicators/").content.decode()

    for english in ("first results", " persons", " percent", "billion MAD", "monthly indicators", "as cited in press"):
        assert english not in html, english
    assert "النتائج الأولى" in html and "مليار درهم" in html
