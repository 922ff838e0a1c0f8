"""`long_date`, available in every template (a builtin): "1er décembre 2026"."""

from django import template

from maillage.core.text import long_date as format_long_date

register = template.Library()


@register.filter
def long_date(value, format: str = "j F Y") -> str:
    return format_long_date(value, format)
