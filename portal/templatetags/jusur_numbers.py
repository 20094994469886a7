"""Template filters over portal.numbers: `{{ n|number }}`, `{{ ratio|percent }}`, `{{ amount|mad }}`."""

from django import template

from portal import numbers

register = template.Library()


@register.filter
def number(value, decimals=0):
    return numbers.format_number(value, int(decimals))


@register.filter
def percent(value, decimals=1):
    return numbers.format_percent(value, int(decimals))


@register.filter
def mad(value):
    """The amount with its unit: "36 113 000 MAD"."""
    return numbers.format_mad(value)
