"""A year's allocation table: a row per party and a cell per item (a thousand amounts for an
EPCI of a hundred communes sharing ten services), written by a Jinja2 template as the
portfolio's rows are (see bench/mutualisation.py)."""

from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from maillage.core.text import amount_formatter

register = template.Library()


@register.simple_tag
def allocation_rows(table, year) -> SafeString:
    """The <tr> of each party of `selectors.allocation_table`, its name linked to its
    statement — a Jinja2 template, which escapes every value."""
    convention = year.convention
    statement = reverse(
        "mutualisation:statement",
        args=[convention.cooperation.slug, convention.pk, year.year, 0],
    )
    amount = amount_formatter(2)

    def cents(value: Decimal | None) -> str:
        return "—" if value is None else f"{amount(value)}\u00a0€"

    html = render_to_string(
        "mutualisation/allocation_rows.html",
        {"table": table, "base": statement.removesuffix("0/"), "cents": cents},
        using="jinja2",
    )
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value (autoescape)
