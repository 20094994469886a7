"""Eligibility pre-check for support programmes: a pure function over plain data.

The rules and their thresholds are rows kept by staff in the admin (SupportProgramme,
EligibilityRule); nothing here knows a programme. `evaluate()` takes a project's facts and
the programmes' rules as plain values, so it is tested and reused without a database.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .enums import NUMERIC_FIELDS, EligibilityOperator


@dataclass(frozen=True)
class RuleSpec:
    field: str
    operator: str
    threshold: str
    label: str = ""  # the field's human label, for explanations


@dataclass(frozen=True)
class ProgrammeSpec:
    key: int
    name: str
    rules: tuple[RuleSpec, ...]
    subsidy_rate_pct: Decimal | None = None
    max_subsidy_mad: int | None = None


@dataclass(frozen=True)
class RuleOutcome:
    rule: RuleSpec
    passed: bool
    actual: object


@dataclass
class ProgrammeOutcome:
    programme: ProgrammeSpec
    outcomes: list[RuleOutcome] = field(default_factory=list)
    estimated_subsidy_mad: int | None = None

    @property
    def eligible(self) -> bool:
        return all(outcome.passed for outcome in self.outcomes)

    @property
    def failed(self) -> list[RuleOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]


def parse_number(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def parse_codes(value: str) -> set[str]:
    return {part.strip().upper() for part in str(value).split(",") if part.strip()}


def threshold_error(*, field_name: str, operator: str, threshold: str) -> str | None:
    """Why a threshold cannot be used with this field and operator (None when it can)."""
    numeric = field_name in NUMERIC_FIELDS
    if operator in (EligibilityOperator.IN, EligibilityOperator.NOT_IN, EligibilityOperator.EQ):
        if not parse_codes(threshold):
            return "empty"
        if numeric and operator != EligibilityOperator.EQ:
            return "codes_on_number"
        if numeric and parse_number(threshold) is None:
            return "not_a_number"
        return None
    if not numeric:
        return "order_on_code"
    if parse_number(threshold) is None:
        return "not_a_number"
    return None


def rule_passes(rule: RuleSpec, actual) -> bool:
    """One rule against one fact; a missing fact or an unusable threshold never passes."""
    if actual is None or actual == "":
        return False
    operator = rule.operator
    if rule.field in NUMERIC_FIELDS:
        value, threshold = parse_number(actual), parse_number(rule.threshold)
        if value is None or threshold is None:
            return False
        comparisons = {
            EligibilityOperator.GTE: value >= threshold,
            EligibilityOperator.LTE: value <= threshold,
            EligibilityOperator.GT: value > threshold,
            EligibilityOperator.LT: value < threshold,
            EligibilityOperator.EQ: value == threshold,
        }
        return comparisons.get(operator, False)
    codes = parse_codes(rule.threshold)
    code = str(actual).strip().upper()
    if operator in (EligibilityOperator.IN, EligibilityOperator.EQ):
        return code in codes
    if operator == EligibilityOperator.NOT_IN:
        return code not in codes
    return False


def estimated_subsidy(programme: ProgrammeSpec, amount_mad: int | None) -> int | None:
    """The programme's rate applied to the amount, capped; None when it grants no subsidy."""
    if programme.subsidy_rate_pct is None or amount_mad is None:
        return None
    subsidy = int(Decimal(amount_mad) * Decimal(programme.subsidy_rate_pct) / 100)
    if programme.max_subsidy_mad is not None:
        subsidy = min(subsidy, programme.max_subsidy_mad)
    return subsidy


def evaluate(facts: dict, programmes: list[ProgrammeSpec]) -> list[ProgrammeOutcome]:
    """Each programme with the outcome of each of its rules; eligible ones first."""
    results = []
    for programme in programmes:
        outcome = ProgrammeOutcome(programme=programme)
        for rule in programme.rules:
            actual = facts.get(rule.field)
            outcome.outcomes.append(RuleOutcome(rule=rule, passed=rule_passes(rule, actual), actual=actual))
        outcome.estimated_subsidy_mad = estimated_subsidy(programme, facts.get("amount_mad"))
        results.append(outcome)
    return sorted(results, key=lambda result: (not result.eligible, result.programme.name))
