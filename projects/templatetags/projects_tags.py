from django import template

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
    """1250000 → "1 250 000" (a narrow no-break space reads right in ar, fr and en)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return str(value)
