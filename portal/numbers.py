"""Numbers as people read them, in the active language: the one formatting helper of the
pages, charts, e-mails and downloads (decision 0015).

Separators come from Django's formats modules (`get_format`), so a project formats module for
a language (FORMAT_MODULE_PATH) applies here too. Values are rounded half away from zero to
the figure's precision, never truncated (Django's `number_format` cuts decimals: 5/9 would read
55,5 %). Grouping is forced: an amount without thousands separators is hard to read, and a
language whose formats module sets no grouping (Django's `ar`) still groups by thousands.

Downloads get the same rounding with machine separators (`plain`) or the semicolon/decimal-comma
variant spreadsheets in French expect (`plain(..., decimal=",")`), and XLSX cells get a number
format instead of text (`XLSX_FORMATS`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

# The precision of each kind of figure: the page, the CSV and the XLSX round alike.
DECIMALS = {"int": 0, "mad": 0, "pct": 1, "days": 1, "decimal": 1}
# Excel/LibreOffice number formats: the spreadsheet shows them with its own locale's separators.
XLSX_FORMATS = {"int": "#,##0", "mad": "#,##0", "pct": "0.0%", "days": "0.0", "decimal": "#,##0.0"}
DEFAULT_GROUPING = 3


def rounded(value, decimals: int) -> Decimal:
    """`value` rounded half away from zero (Decimal, so 0.5 → 1 and 55.55… → 55.6)."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int = 0) -> str:
    """`value` with the active language's decimal and thousands separators: 36113000 →
    "36 113 000" (fr), "36,113,000" (en); "–" for a missing figure."""
    if value is None or value == "":
        return "–"
    number = rounded(value, decimals)
    if number == 0:
        number = abs(number)  # never "-0,0"
    grouping = get_format("NUMBER_GROUPING") or DEFAULT_GROUPING
    return numberformat.format(
        number,
        get_format("DECIMAL_SEPARATOR"),
        decimals,
        grouping,
        get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def format_percent(ratio, decimals: int = 1) -> str:
    """A ratio (5/9) as a percentage (55,6 % in fr)."""
    if ratio is None or ratio == "":
        return "–"
    # Translators: a percentage; %(value)s is the number. Keep %% (the percent sign).
    return _("%(value)s %%") % {"value": format_number(Decimal(str(ratio)) * 100, decimals)}


def format_mad(amount) -> str:
    """An amount in dirhams with its unit: "36 113 000 MAD"."""
    if amount is None or amount == "":
        return "–"
    # Translators: an amount in Moroccan dirhams; %(amount)s is the number.
    return _("%(amount)s MAD") % {"amount": format_number(amount, 0)}


def format_figure(value, kind: str) -> str:
    """A table cell of the kind `kind` (int, mad, pct, days, decimal, text)."""
    if kind == "pct":
        return format_percent(value, DECIMALS["pct"])
    if kind in DECIMALS:
        return format_number(value, DECIMALS[kind])
    return "–" if value is None else str(value)


def plain(value, kind: str, *, decimal: str = "."):
    """A figure for a CSV cell: rounded to its precision, no grouping, `decimal` as separator;
    rates as percentages (55.6, the header says %); None as an empty cell; text unchanged."""
    if value is None:
        return ""
    if kind not in DECIMALS or isinstance(value, str):
        return value
    if kind == "pct":
        value = Decimal(str(value)) * 100
    number = rounded(value, DECIMALS[kind])
    if number == 0:
        number = abs(number)
    return f"{number:f}".replace(".", decimal)


def xlsx_value(value, kind: str):
    """A figure for an XLSX cell: a number rounded to what its number format shows (a rate
    keeps one decimal of its percentage: 0.556), so a copied cell carries no float noise."""
    if value is None or kind not in DECIMALS or isinstance(value, str):
        return value
    decimals = DECIMALS[kind] + (2 if kind == "pct" else 0)
    number = rounded(value, decimals)
    return int(number) if decimals == 0 else float(number)
