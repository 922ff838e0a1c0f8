"""Template helpers for long lists: the options of a filter's <select>, built in Python (one
string instead of a template loop per option: the portfolio's filters list every owner and
funder)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def select_options(choices, current) -> SafeString:
    """<option> elements for `choices` — (value, label) pairs, or objects (their pk and str) —
    with the one equal to `current` selected."""
    current = "" if current is None else str(current)
    options = []
    for choice in choices:
        value, label = choice if isinstance(choice, tuple | list) else (choice.pk, choice)
        value = str(value)
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - values and labels are escaped
