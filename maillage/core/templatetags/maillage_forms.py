"""Template helpers for long lists: the options of a filter's <select>, built in Python (one
`format_html_join` instead of a template loop per option: the portfolio's filters list every
owner and funder)."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def select_options(choices, current) -> str:
    """<option> elements for `choices` — (value, label) pairs, or objects (their pk and str) —
    with the one equal to `current` selected."""
    current = "" if current is None else str(current)
    pairs = (
        (choice if isinstance(choice, tuple | list) else (choice.pk, choice)) for choice in choices
    )
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == current else "", label) for value, label in pairs),
    )
