"""Template filters over portal.numbers: `{{ n|number }}`, `{{ ratio|percent }}`, `{{ amount|with_mad }}`
(named apart from projects_tags' `mad`, which gives the number alone)."""

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
def with_mad(value):
    """The amount with its unit: "36 113 000 MAD"."""
    return numbers.format_mad(value)
