"""The portfolio's table rows, written in Python: the page shows 100 of them and the template
engine's per-variable cost made them most of its time (see bench/portfolio.py)."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.projects.enums import ProjectStatus

register = template.Library()


def _money(value) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


@register.simple_tag
def portfolio_rows(projects, cooperation, can_manage: bool) -> SafeString:
    """The <tr> of each project: a selection box for managers, code, title (linked, with its
    structuring badge), owner, status (late, blocked), end date, total cost, financing."""
    labels = dict(ProjectStatus.choices)
    base = reverse("projects:portfolio", args=[cooperation.slug])
    badges = {
        "structuring": format_html(
            ' <span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">{}</span>',
            _("structurant"),
        ),
        "late": format_html(
            ' <span class="fr-badge fr-badge--sm fr-badge--warning">{}</span>', _("en retard")
        ),
        "blocked": format_html(
            ' <span class="fr-badge fr-badge--sm fr-badge--error">{}</span>', _("bloqué")
        ),
    }
    rows = []
    for project in projects:
        select = (
            format_html(
                '<td><div class="fr-checkbox-group fr-checkbox-group--sm"><input type="checkbox"'
                ' id="p{0}" name="projects" value="{0}"><label class="fr-label" for="p{0}">'
                '<span class="fr-sr-only">{1}</span></label></div></td>',
                project.pk,
                project.code,
            )
            if can_manage
            else ""
        )
        cost = (
            f"{_money(project.total_cost)} {project.currency}"
            if project.total_cost is not None
            else "—"
        )
        rows.append(
            (
                select,
                project.code,
                f"{base}{quote(project.code, safe='')}/",
                project.title,
                badges["structuring"] if project.structuring else "",
                project.owner.name if project.owner else "—",
                labels[project.status],
                mark_safe(  # noqa: S308 - both parts are format_html results
                    (badges["late"] if project.late else "")
                    + (badges["blocked"] if project.blocked else "")
                ),
                date_format(project.end_date, "SHORT_DATE_FORMAT") if project.end_date else "—",
                cost,
                _money(project.financing_total or 0),
            )
        )
    return format_html_join(
        "\n",
        '<tr>{}<td>{}</td><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}{}</td><td>{}</td>'
        '<td class="maillage-number">{}</td><td class="maillage-number">{}</td></tr>',
        rows,
    )
