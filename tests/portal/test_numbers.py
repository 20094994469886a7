"""portal.numbers: rounded (never truncated), the locale's separators, the same precision in
pages, CSV and XLSX."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import get_format
from hypothesis import given
from hypothesis import strategies as st

from portal.numbers import format_mad, format_number, format_percent, plain, xlsx_value

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "rate", "amount"),
    [
        ("fr", f"55,6{NBSP}%", f"36{NBSP}113{NBSP}000"),
        ("en", "55.6%", "36,113,000"),
    ],
)
def test_rate_is_rounded_and_amount_grouped(language, rate, amount):
    with translation.override(language):
        assert format_percent(5 / 9) == rate
        assert format_number(36_113_000) == amount


def test_arabic_uses_the_arabic_formats_module_and_groups_thousands():
    with translation.override("ar"):
        separator, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
        assert format_number(36_113_000) == f"36{separator}113{separator}000"
        assert format_number(5 / 9 * 100, 1) == f"55{decimal}6"


def test_template_filters_and_the_projects_amount_filter_share_the_helper():
    template = Template(
        "{% load jusur_numbers projects_tags %}"
        "{{ r|percent }}|{{ a|number }}|{{ a|mad }}|{{ d|number:1 }}|{{ n|percent }}|{{ a|with_mad }}"
    )
    with translation.override("fr"):
        html = template.render(Context({"r": 5 / 9, "a": 36_113_000, "d": 2.25, "n": None}))
    assert html == f"55,6{NBSP}%|36{NBSP}113{NBSP}000|36{NBSP}113{NBSP}000|2,3|–|36{NBSP}113{NBSP}000{NBSP}MAD"
    with translation.override("en"):
        assert format_mad(1_250_000) == "1,250,000 MAD"


def test_downloads_round_to_the_figures_precision():
    assert plain(0.18518518518518517, "pct") == "18.5"
    assert plain(0.18518518518518517, "pct", decimal=",") == "18,5"
    assert plain(2.25, "days") == "2.3"
    assert plain(36_113_000, "mad", decimal=",") == "36113000"
    assert plain(None, "pct") == ""
    assert xlsx_value(0.18518518518518517, "pct") == 0.185
    assert xlsx_value(36_113_000, "mad") == 36_113_000


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_percent_is_the_ratio_rounded_half_up(part, whole):
    expected = (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    with translation.override("en"):
        shown = format_percent(part / whole).rstrip("%").replace(",", "")
    # The float ratio may sit a hair below an exact half: allow one step only there.
    assert abs(Decimal(shown) - expected) <= Decimal("0.1")
    exact = Decimal(part) / Decimal(whole) * 1000
    if (exact * 2) % 1 != 0 or exact % 1 == 0:  # not an exact .x5 tie: no float doubt
        assert Decimal(shown) == expected
