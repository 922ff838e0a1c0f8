"""A year's allocation table (a row per party and a cell per item: a thousand amounts for an
EPCI of a hundred communes sharing ten services) and its costs and keys, written by Jinja2
templates as the portfolio's rows are: Django's engine made them most of the page's time
(see bench/mutualisation.py)."""

from collections.abc import Callable
from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.core.text import amount_formatter

register = template.Library()


def _base(name: str, year, suffix: str) -> str:
    """The address of a year's page `name` for object 0, without what follows its id."""
    convention = year.convention
    args = [convention.cooperation.slug, convention.pk, year.year, 0]
    return reverse(f"mutualisation:{name}", args=args).removesuffix(suffix)


def _cents() -> Callable[[Decimal | None], str]:
    """Amounts to the cent in the page's language ("—" for none), the format read once."""
    amount = amount_formatter(2)

    def cents(value: Decimal | None) -> str:
        return "—" if value is None else f"{amount(value)}\u00a0€"

    return cents


def _render(name: str, context: dict) -> SafeString:
    context.setdefault("cents", _cents())
    html = render_to_string(f"mutualisation/{name}", context, using="jinja2")
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value (autoescape)


@register.simple_tag
def allocation_table(table, year) -> SafeString:
    """The table of `selectors.allocation_table`, each party linked to its statement."""
    cents = _cents()
    caption = _(
        "Répartition du coût total (%(total)s) : la somme des parts est exactement le coût, "
        "au centime"
    ) % {"total": cents(table.total)}
    return _render(
        "allocation_table.html",
        {
            "table": table,
            "caption": caption,
            "cents": cents,
            "statements": _base("statement", year, "0/"),
        },
    )


@register.simple_tag
def year_costs(items, year, editable: bool) -> SafeString:
    """Each item's cost components and key (`allocation.ItemInput`), with the links to delete
    a cost and set a key when `editable`."""
    return _render(
        "year_costs.html",
        {
            "items": items,
            "editable": editable,
            "keys": _base("key", year, "0/"),
            "costs": _base("cost_delete", year, "0/supprimer/"),
            "percent": lambda weight: number_format(weight.normalize()),
        },
    )
