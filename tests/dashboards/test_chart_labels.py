"""Chart labels fit their box (wrapped or abbreviated, never clipped), distinct labels stay
distinct, and the full label stays in the accessible description and the table. The browser
test (tests/e2e/test_dashboards_charts.py) measures the drawn text as well."""

import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dashboards.charts import FONT_SIZE, LABEL_TEXT_WIDTH, Chart
from dashboards.labels import fit_label, fit_labels, text_width
from taxonomy.models import Sector

WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "Pd"]), min_size=1, max_size=120)


@given(WORDS, st.integers(min_value=1, max_value=3))
def test_every_line_fits_and_nothing_is_lost_unless_marked(text, max_lines):
    lines, abbreviated = fit_label(text, LABEL_TEXT_WIDTH, FONT_SIZE, max_lines)

    assert 1 <= len(lines) <= max_lines
    assert all(text_width(line, FONT_SIZE) <= LABEL_TEXT_WIDTH for line in lines)
    if not abbreviated:
        assert "".join(lines).replace(" ", "") == "".join(text.split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_sector_labels_stay_distinct_once_fitted(taxonomy, language):
    with translation.override(language):
        labels = [f"{s.code} – {s.name}" for s in Sector.objects.order_by("code")]

    fitted = fit_labels(labels, LABEL_TEXT_WIDTH, FONT_SIZE, max_lines=3)

    assert len({tuple(lines) for lines, _short in fitted}) == len(labels)


def test_two_labels_alike_to_their_abbreviation_keep_their_endings():
    a = "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné, régionale"
    b = "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné, nationale"

    (lines_a, short_a), (lines_b, short_b) = fit_labels([a, b], LABEL_TEXT_WIDTH, FONT_SIZE, max_lines=2)

    assert short_a and short_b and lines_a != lines_b
    assert lines_a[-1].endswith("régionale") and lines_b[-1].endswith("nationale")


def test_svg_carries_full_labels_in_its_description_and_titles():
    long = "Q – Activités pour la santé humaine et l'action sociale, hors établissements"
    chart = Chart("s", "Experts par secteur", ["Secteur", "Experts"], [[long, 4], ["A – Agriculture", 2]])

    with translation.override("fr"):
        svg = chart.svg()

    desc = re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1)
    assert "santé humaine et l&#x27;action sociale, hors établissements" in desc
    assert f"<title>{long}</title>".replace("'", "&#x27;") in svg
    assert 'x="-' not in svg  # nothing starts left of the drawing
