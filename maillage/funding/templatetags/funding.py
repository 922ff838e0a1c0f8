"""A fund's list of applications: its rows are a Jinja2 template (compiled, autoescaping), as
the portfolio's are: Django's engine, at its cost per variable, made them most of the page's
time (see bench/funding.py)."""

from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from maillage.core.text import amount_formatter
from maillage.funding.enums import ApplicationStatus, Outcome

register = template.Library()


@register.simple_tag
def application_rows(rows) -> SafeString:
    """The <tr> of each row of `selectors.application_rows`."""
    amount = amount_formatter(0)
    html = render_to_string(
        "funding/application_rows.html",
        {
            "rows": rows,
            "base": reverse("funding:application", args=[0]).removesuffix("0/"),
            "statuses": {value: str(label) for value, label in ApplicationStatus.choices},
            "outcomes": {value: str(label) for value, label in Outcome.choices},
            "money": lambda value: "—" if value is None else amount(value),
            "score": lambda value: "—" if value is None else f"{value:.2f}".rstrip("0").rstrip("."),
        },
        using="jinja2",
    )
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value (autoescape)


@register.filter
def amount(value: Decimal | None) -> str:
    """An amount in the page's language without its currency, whole units when it has no
    cents (10 000, 1 234,50): the fund's pages write its currency beside it."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    digits = 0 if value == value.to_integral_value() else 2
    return amount_formatter(digits)(value)
