"""The portfolio's table rows, written in Python: the page shows 100 of them, and the template
engine's cost per variable, then `format_html`'s per value, made them most of its time (see
bench/portfolio.py)."""

from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import dateformat, numberformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.projects.enums import ProjectStatus

register = template.Library()


def money_formatter():
    """A function writing an amount rounded to the unit in the active language's format, which
    is read once (`number_format` reads it again for every value)."""
    grouping, separator = get_format("NUMBER_GROUPING"), get_format("THOUSAND_SEPARATOR")
    if grouping == 3:  # French and English: Python's own grouping, the fastest
        return lambda value: f"{value:,.0f}".replace(",", separator)
    decimal = get_format("DECIMAL_SEPARATOR")
    return lambda value: numberformat.format(round(value), decimal, 0, grouping, separator, True)


@register.simple_tag
def portfolio_rows(rows, cooperation, can_manage: bool) -> SafeString:
    """The <tr> of each row of `selectors.portfolio_rows` (with `with_computed_fields`): a
    selection box for managers, code, title (linked, with its structuring badge), owner, status
    (late, blocked), end date, total cost, financing. Every text from the database goes through
    `escape`."""
    labels = {value: escape(str(label)) for value, label in ProjectStatus.choices}
    money = money_formatter()
    short_date = get_format("SHORT_DATE_FORMAT")
    base = escape(reverse("projects:portfolio", args=[cooperation.slug]))
    structuring, late, blocked = (
        f' <span class="fr-badge fr-badge--sm {kind}">{escape(text)}</span>'
        for kind, text in (
            ("fr-badge--info fr-badge--no-icon", _("structurant")),
            ("fr-badge--warning", _("en retard")),
            ("fr-badge--error", _("bloqué")),
        )
    )
    html = []
    for row in rows:
        code = escape(row["code"])
        select = (
            f'<td><div class="fr-checkbox-group fr-checkbox-group--sm"><input type="checkbox"'
            f' id="p{row["id"]}" name="projects" value="{row["id"]}"><label class="fr-label"'
            f' for="p{row["id"]}"><span class="fr-sr-only">{code}</span></label></div></td>'
            if can_manage
            else ""
        )
        cost = (
            f"{money(row['total_cost'])} {row['currency']}"
            if row["total_cost"] is not None
            else "—"
        )
        end = dateformat.format(row["end_date"], short_date) if row["end_date"] else "—"
        html.append(
            f"<tr>{select}<td>{code}</td>"
            f'<td><a href="{base}{quote(row["code"], safe="")}/">{escape(row["title"])}</a>'
            f"{structuring if row['structuring'] else ''}</td>"
            f"<td>{escape(row['owner_name'] or '—')}</td>"
            f"<td>{labels[row['status']]}"
            f"{late if row['late'] else ''}"
            f"{blocked if row['blocked'] else ''}</td>"
            f"<td>{escape(end)}</td>"
            f'<td class="maillage-number">{escape(cost)}</td>'
            f'<td class="maillage-number">{escape(money(row["financing_total"] or 0))}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
