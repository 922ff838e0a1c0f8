"""The yearly progress report of a cooperation: its content as a list of blocks (headings,
paragraphs, tables, charts), written once and rendered twice — as PDF (HTML through
WeasyPrint, tagged, its text extractable) and as ODT (odfpy), so that both say the same."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.cooperations.models import Cooperation, StrategyNode
from maillage.core.enums import Visibility
from maillage.core.text import long_date
from maillage.governance.models import Decision, Meeting
from maillage.projects.enums import ProjectStatus
from maillage.projects.models import Indicator, IndicatorValue, JournalEntry, Project
from maillage.reports import selectors
from maillage.reports.charts import Chart, amount

INDICATOR_ROWS = 200  # beyond, the report says how many more the portfolio holds


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # columns aligned right


@dataclass
class ChartBlock:
    chart: Chart


Block = Heading | Paragraph | Table | ChartBlock


def day(value: dt.date | None) -> str:
    """Dates as read: 4 novembre 2016, 1er décembre 2026 (empty when unknown)."""
    return long_date(value)


def euros(value: Decimal | int | None) -> str:
    return "" if value is None else amount(value, "€")


def report_projects(cooperation: Cooperation):
    """What a report shows: the projects its readers (the partners) may read."""
    return Project.objects.filter(cooperation=cooperation).exclude(visibility=Visibility.RESTRICTED)


def _identity(cooperation: Cooperation) -> list[Block]:
    facts = [
        [_("Nature"), cooperation.get_kind_display()],
        [_("Étape"), cooperation.get_stage_display()],
    ]
    if cooperation.start_date or cooperation.end_date:
        facts.append([_("Période"), f"{day(cooperation.start_date)} – {day(cooperation.end_date)}"])
    blocks: list[Block] = [Heading(2, _("La coopération"))]
    if cooperation.summary:
        blocks.append(Paragraph(cooperation.summary))
    blocks.append(Table(_("En bref"), [_("Quoi"), _("Valeur")], facts))
    parties = cooperation.parties.select_related("organisation", "territory", "signatory")
    blocks += [
        Heading(3, _("Les parties")),
        Table(
            _("Parties de la coopération"),
            [_("Organisation"), _("Rôle"), _("Territoire représenté"), _("Signataire")],
            [
                [
                    party.organisation.name,
                    party.get_role_display(),
                    str(party.territory or ""),
                    ", ".join(
                        str(part) for part in (party.signatory, party.signatory_title) if part
                    ),
                ]
                for party in parties
            ],
        ),
    ]
    return blocks


def _strategy(cooperation: Cooperation, projects) -> list[Block]:
    """Each node of the strategy, in order, with the projects serving it and their status."""
    nodes = list(StrategyNode.objects.filter(cooperation=cooperation).order_by("position", "pk"))
    children: dict[int | None, list[StrategyNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    served: dict[int, list[str]] = defaultdict(list)
    links = (
        Project.strategy_nodes.through.objects.filter(project__in=projects.values("pk"))
        .values_list("strategynode_id", "project__code", "project__title", "project__status")
        .order_by("project__code")
    )
    labels = dict(ProjectStatus.choices)
    for node_id, code, title, status in links:
        served[node_id].append(f"{code} {title} ({labels[status]})")
    rows: list[list[str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children[parent]:
            label = "\u2003" * depth + f"{node.code} {node.title}".strip()
            rows.append([label, "; ".join(served[node.pk]) or "—"])
            walk(node.pk, depth + 1)

    walk(None, 0)
    if not rows:
        return [
            Heading(2, _("La stratégie")),
            Paragraph(_("La stratégie n’est pas encore saisie.")),
        ]
    return [
        Heading(2, _("La stratégie et ses projets")),
        Table(_("Stratégie et projets"), [_("Élément de stratégie"), _("Projets (statut)")], rows),
    ]


def _money(board: selectors.Dashboard) -> list[Block]:
    money = board.financing
    blocks: list[Block] = [
        Heading(2, _("Les moyens")),
        Paragraph(
            _(
                "À la date du rapport : coût total des projets %(cost)s ; financements inscrits "
                "%(financing)s ; reste à financer %(gap)s."
            )
            % {
                "cost": euros(money.total_cost)
                if money.total_cost is not None
                else _("non renseigné"),
                "financing": euros(money.financing_total),
                "gap": euros(money.gap) if money.gap is not None else _("non calculable"),
            }
        ),
    ]
    for rate in money.rates_used:
        blocks.append(
            Paragraph(
                _("Montants en %(currency)s convertis à 1 %(currency)s = %(rate)s € (%(date)s).")
                % {"currency": rate.currency, "rate": rate.rate, "date": day(rate.valid_from)}
            )
        )
    return blocks


def _indicators(projects) -> list[Block]:
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-pk")
    indicators = (
        Indicator.objects.filter(project__in=projects.values("pk"))
        .select_related("project")
        .annotate(
            latest=Subquery(latest.values("value")[:1]),
            measured_on=Subquery(latest.values("date")[:1]),
        )
        .order_by("project__code", "name")
    )
    total = indicators.count()
    if not total:
        return [Heading(2, _("Les indicateurs")), Paragraph(_("Aucun indicateur n’est suivi."))]
    rows = [
        [
            f"{i.project.code} {i.project.title}",
            f"{i.name}" + (f" ({i.unit})" if i.unit else ""),
            amount(i.baseline) if i.baseline is not None else "",
            amount(i.latest) if i.latest is not None else "",
            day(i.measured_on),
            amount(i.target) if i.target is not None else "",
            day(i.target_date),
        ]
        for i in indicators[:INDICATOR_ROWS]
    ]
    blocks: list[Block] = [
        Heading(2, _("Les indicateurs")),
        Table(
            _("Indicateurs, valeur mesurée et cible"),
            [
                _("Projet"),
                _("Indicateur"),
                _("Départ"),
                _("Mesure"),
                _("Mesuré le"),
                _("Cible"),
                _("Échéance"),
            ],
            rows,
            numeric={2, 3, 5},
        ),
    ]
    if total > INDICATOR_ROWS:
        blocks.append(
            Paragraph(
                _("%(more)s autres indicateurs figurent dans l’annexe du portefeuille.")
                % {"more": total - INDICATOR_ROWS}
            )
        )
    return blocks


def _governance(cooperation: Cooperation, year: int) -> list[Block]:
    meetings = (
        Meeting.objects.filter(cooperation=cooperation, start__year=year)
        .exclude(visibility=Visibility.RESTRICTED)
        .select_related("body")
        .order_by("start")
    )
    decisions = (
        Decision.objects.filter(body__cooperation=cooperation, date__year=year)
        .exclude(body__visibility=Visibility.RESTRICTED)
        .select_related("body")
        .prefetch_related("projects")
        .order_by("date", "number")
    )
    return [
        Heading(2, _("La gouvernance en %(year)s") % {"year": year}),
        Table(
            _("Réunions de l’année"),
            [_("Date"), _("Réunion"), _("Instance")],
            [
                [day(timezone.localtime(m.start).date()), m.title, m.body.name if m.body else ""]
                for m in meetings
            ],
        ),
        Table(
            _("Décisions de l’année"),
            [_("Date"), _("Instance et numéro"), _("Décision"), _("Projets")],
            [
                [
                    day(d.date),
                    f"{d.body.name} n° {d.number}",
                    d.text,
                    ", ".join(project.code for project in d.projects.all()),
                ]
                for d in decisions
            ],
        ),
    ]


def _changes(projects, year: int) -> list[Block]:
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    labels = dict(ProjectStatus.choices)
    entries = (
        JournalEntry.objects.filter(
            project__in=projects.values("pk"), kind="status", date__range=(start, end)
        )
        .exclude(status_before="")
        .select_related("project")
        .order_by("date", "project__code")
    )
    rows = [
        [
            day(entry.date),
            f"{entry.project.code} {entry.project.title}",
            f"{labels.get(entry.status_before, '')} → {labels.get(entry.status_after, '')}",
        ]
        for entry in entries[:INDICATOR_ROWS]
    ]
    created = projects.filter(created_at__year=year).count()
    return [
        Heading(2, _("Ce qui a changé en %(year)s") % {"year": year}),
        Paragraph(
            ngettext(
                "%(count)s projet ajouté au portefeuille ;",
                "%(count)s projets ajoutés au portefeuille ;",
                created,
            )
            % {"count": created}
            + " "
            + ngettext(
                "%(count)s changement de statut.", "%(count)s changements de statut.", len(rows)
            )
            % {"count": len(rows)}
        ),
        Table(_("Changements de statut"), [_("Date"), _("Projet"), _("Statut")], rows),
    ]


def yearly_content(
    report, charts: list[Chart], board: selectors.Dashboard
) -> tuple[str, list[Block]]:
    """The title and blocks of a report, from its cooperation's data for its year."""
    cooperation, year = report.cooperation, report.year
    projects = report_projects(cooperation)
    title = _("Rapport d’avancement %(year)s — %(cooperation)s") % {
        "year": year,
        "cooperation": cooperation.title,
    }
    figures = board.projects
    engaged = int(next(row.value for row in figures.by_status if row.key == "engaged"))
    blocks: list[Block] = []
    if report.introduction:
        blocks += [Heading(2, _("Introduction")), Paragraph(report.introduction)]
    blocks += _identity(cooperation)
    blocks += [
        Heading(2, _("Les projets")),
        Paragraph(
            ngettext("%(count)s projet, dont", "%(count)s projets, dont", figures.total)
            % {"count": figures.total}
            + " "
            + ngettext("%(count)s engagé", "%(count)s engagés", engaged) % {"count": engaged}
            + " "
            + ngettext(
                "et %(count)s structurant.", "et %(count)s structurants.", figures.structuring
            )
            % {"count": figures.structuring}
        ),
        *[ChartBlock(chart) for chart in charts[:5]],
    ]
    blocks += _strategy(cooperation, projects)
    blocks += _money(board) + [ChartBlock(chart) for chart in charts[5:]]
    blocks += _indicators(projects)
    blocks += _governance(cooperation, year)
    blocks += _changes(projects, year)
    if report.conclusion:
        blocks += [Heading(2, _("Conclusion")), Paragraph(report.conclusion)]
    blocks.append(
        Paragraph(
            _("Annexes : le portefeuille de projets et le registre des décisions (xlsx).")
            + " "
            + _("Rapport produit par Maillage le %(date)s.") % {"date": day(timezone.localdate())}
        )
    )
    return title, blocks
