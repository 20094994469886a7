from django import template

from portal.numbers import format_number

from ..enums import EligibilityOperator, ProjectStatus

register = template.Library()


@register.filter
def project_status_label(code: str) -> str:
    """A status code as its label in the active language (e-mails carry codes, not labels)."""
    try:
        return ProjectStatus(code).label
    except ValueError:
        return code or "—"


@register.filter
def operator_label(code: str) -> str:
    try:
        return EligibilityOperator(code).label
    except ValueError:
        return code


@register.filter
def mad(value) -> str:
    """1250000 → "1 250 000" (fr), "1,250,000" (en): portal.numbers, the pages' one helper."""
    if value is None or value == "":
        return "—"
    try:
        return format_number(value)
    except ValueError:
        return str(value)
