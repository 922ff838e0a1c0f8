"""`cents`: an amount in euros to the cent (12 345,67 €), fast enough for long tables."""

from decimal import Decimal

from django import template

from maillage.core.text import amount_formatter

register = template.Library()


@register.filter
def cents(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return "—"
    return f"{amount_formatter(2)(Decimal(value))}\u00a0€"
