"""The portfolio's table rows: the page shows 100 of them, and Django's template engine, at
its cost per variable, made them most of the page's time (see bench/portfolio.py). They are a
Jinja2 template (compiled, autoescaping) rendered from this tag."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from maillage.core.text import amount_formatter
from maillage.projects.enums import ProjectStatus

register = template.Library()


@register.simple_tag
def portfolio_rows(rows, cooperation, can_manage: bool) -> SafeString:
    """The <tr> of each row of `selectors.PortfolioRows` (with `with_computed_fields`): a
    selection box for managers, code, title (linked, with its structuring badge), owner, status
    (late, blocked), end date, total cost, financing — a Jinja2 template, which escapes every
    value."""
    html = render_to_string(
        "projects/portfolio_rows.html",
        {
            "rows": rows,
            "can_manage": can_manage,
            "base": reverse("projects:portfolio", args=[cooperation.slug]),
            "labels": {value: str(label) for value, label in ProjectStatus.choices},
            "money": amount_formatter(0),
            "date": dateformat.format,
            "short_date": get_format("SHORT_DATE_FORMAT"),
        },
        using="jinja2",
    )
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value (autoescape)
