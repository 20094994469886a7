"""The words around a migration figure, in the reader's language: its name, its unit and its
source note. Figures are stored as published (`unit` and `source` as the CSV of
../shared/data/figures writes them, in English); these functions translate them at render, so
cached figures stay language-neutral (decision 0015). A unit or source not listed here is
shown as written: add it here (and to the catalogues) when a new publication is loaded.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.numbers import format_number

from .enums import IndicatorKey, IndicatorStatus

# Each unit: how a value reads with it (%(value)s is the formatted number).
UNIT_PATTERNS = {
    # Translators: a migration figure in percent, e.g. "86.4 %".
    "percent": _("%(value)s %%"),
    # Translators: a count of people, e.g. "5,100,000 persons".
    "persons": _("%(value)s persons"),
    # Translators: an amount in billions of Moroccan dirhams, e.g. "115.3 billion MAD".
    "billion MAD": _("%(value)s billion MAD"),
}
UNIT_NAMES = {"percent": _("percent"), "persons": _("persons"), "billion MAD": _("billion MAD")}

# The source notes of the published figures (../shared/data/figures and the demo), verbatim.
SOURCES = {
    "CESE report 2022 (as cited in press)": _("CESE report 2022 (as cited in press)"),
    "CESE report 2022 (as cited in press, quoting the CCME president)": _(
        "CESE report 2022 (as cited in press, quoting the CCME president)"
    ),
    "HCP, ENMI 2018-2019": _("HCP, ENMI 2018-2019"),
    "HCP, ENMI 2018-2019 (Oriental, highest region)": _("HCP, ENMI 2018-2019 (Oriental, highest region)"),
    "HCP, ENMI 2018-2019 (Souss-Massa, lowest region)": _("HCP, ENMI 2018-2019 (Souss-Massa, lowest region)"),
    "HCP, Enquête nationale sur la migration internationale 2018-2019, first results": _(
        "HCP, Enquête nationale sur la migration internationale 2018-2019, first results"
    ),
    "Office des Changes annual report 2023 (via press)": _("Office des Changes annual report 2023 (via press)"),
    "Office des Changes, annual balance-of-payments report": _("Office des Changes, annual balance-of-payments report"),
    "Office des Changes, monthly indicators": _("Office des Changes, monthly indicators"),
    "Office des Changes, monthly indicators at end of December (the annual report says 119)": _(
        "Office des Changes, monthly indicators at end of December (the annual report says 119)"
    ),
}


def indicator_label(key: str) -> str:
    try:
        return str(IndicatorKey(key).label)
    except ValueError:
        return key.replace("_", " ")


def status_label(code: str) -> str:
    try:
        return str(IndicatorStatus(code).label)
    except ValueError:
        return code


def unit_label(unit: str) -> str:
    return str(UNIT_NAMES.get(unit, unit))


def source_label(source: str) -> str:
    return str(SOURCES.get(source, source))


def published_decimals(value: Decimal) -> int:
    """As many decimals as the publication gave (115.3 → 1, 117.71 → 2, 5100000 → 0)."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def value_with_unit(value, unit: str) -> str:
    """The value as published, in the reader's separators, with its unit: "86,4 %",
    "5 100 000 personnes", "115,3 milliards de MAD"."""
    if value is None:
        return "–"
    number = format_number(value, published_decimals(value))
    pattern = UNIT_PATTERNS.get(unit)
    if pattern is None:
        return f"{number} {unit}".strip()
    return gettext(str(pattern)) % {"value": number}
