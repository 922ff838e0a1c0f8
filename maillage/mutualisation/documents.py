"""What a finance officer sends and reads: a party's yearly statement (page, PDF, ODT, xlsx),
the allocation table of a year (xlsx), the chart of who pays what, and the yearly report on
mutualisation for the budget debate (PDF, ODT). Statements are shown from what was issued
(a closed year, any version) or, for an open year, from the figures as they stand."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.core.templatetags.amounts import cents
from maillage.core.text import long_date
from maillage.mutualisation import selectors
from maillage.mutualisation.allocation import STATEMENT_FIGURES, Allocation, PartyStatement
from maillage.mutualisation.enums import ComponentKind, CostSource, Settlement, WorkUnit
from maillage.mutualisation.models import AllocationYear, Convention, ConventionParty, Statement
from maillage.reports.charts import Chart, bar_chart
from maillage.reports.render import document_response
from maillage.reports.selectors import Row
from maillage.reports.yearly import Block, ChartBlock, Heading, Paragraph, Table

INCOMPLETE = _lazy(
    "Des usages réalisés ne sont pas encore déclarés : les éléments concernés sont à zéro "
    "jusqu’à leur déclaration ; le montant prévu en donne une estimation."
)


def _units(value: str | None, unit: str) -> str:
    if value is None:
        return _("non déclaré")
    return f"{number_format(Decimal(value), force_grouping=True)} {WorkUnit(unit).label}"


@dataclass
class ShownStatement:
    """A statement as its reader sees it; `version` None: the open year's provisional figures."""

    convention: Convention
    year: int
    party_id: int
    party: str
    version: int | None
    issued_at: dt.datetime | None
    reason: str
    share: Decimal
    due: Decimal
    forecast_due: Decimal
    advances: Decimal
    balance: Decimal
    lines: list[dict[str, Any]]
    providers: dict[int, str]

    @property
    def complete(self) -> bool:
        return all(line.get("computed", True) for line in self.lines)

    @property
    def settled_by_compensation(self) -> bool:
        return self.convention.settlement == Settlement.COMPENSATION

    @property
    def balance_text(self) -> str:
        if self.balance < 0:
            return _("À rembourser à la partie : %(amount)s") % {"amount": cents(-self.balance)}
        if self.settled_by_compensation:
            return _("À imputer sur l’attribution de compensation : %(amount)s") % {
                "amount": cents(self.balance)
            }
        return _("Reste à payer : %(amount)s") % {"amount": cents(self.balance)}

    def rows(self) -> list[dict[str, Any]]:
        """The lines with their labels resolved, for the page and the files."""
        return [
            {
                **line,
                "provider": self.providers.get(line["provider_id"], ""),
                "units_forecast_text": _units(line["units_forecast"], line["unit"]),
                "units_actual_text": _units(line["units_actual"], line["unit"]),
                "share_percent": number_format(Decimal(line["share"]) * 100, decimal_pos=2),
                "components_shown": [
                    {
                        "component": ComponentKind(c["component"]).label,
                        "source": CostSource(c["source"]).label,
                        "amount": c["amount"],
                    }
                    for c in line["components"]
                ],
            }
            for line in self.lines
        ]


def _providers(convention: Convention) -> dict[int, str]:
    return {p.pk: str(p.party.organisation.name) for p in selectors.parties_of(convention)}


def _shown(
    year: AllocationYear,
    providers: dict[int, str],
    statement: Statement | PartyStatement,
    name: str,
) -> ShownStatement:
    """A statement as issued (a `Statement`) or as it stands (a `PartyStatement`)."""
    figures = {figure: getattr(statement, figure) for figure in STATEMENT_FIGURES}
    if isinstance(statement, Statement):
        issued = {
            "version": statement.version,
            "issued_at": statement.issued_at,
            "reason": statement.reason,
            "lines": statement.lines,
        }
    else:
        issued = {"version": None, "issued_at": None, "reason": "", "lines": statement.lines_data()}
    return ShownStatement(
        convention=year.convention,
        year=year.year,
        party_id=statement.party_id,
        party=name,
        providers=providers,
        **figures,
        **issued,
    )


def shown_statements(year: AllocationYear, parties) -> list[ShownStatement]:
    """The statements of `parties` (ConventionParty rows): a closed year's latest issued ones,
    an open year's as they stand. The year's page, the statements' pages and the API read
    them here."""
    providers = _providers(year.convention)
    if not year.is_open:
        return [
            _shown(year, providers, statement, str(statement.party.party.organisation.name))
            for statement in selectors.issued_statements(year, parties)
        ]
    shown = {party.pk for party in parties}
    return [
        _shown(year, providers, statement, statement.name)
        for statement in selectors.allocation_of(year).statements
        if statement.party_id in shown
    ]


def statement_shown(
    year: AllocationYear, member: ConventionParty, version: str | None
) -> ShownStatement:
    """The issued statement of `version` (default: the latest), or the open year's figures."""
    if not version:
        return shown_statements(year, [member])[0]
    if not version.isdigit():
        raise Http404
    statement = selectors.statement_versions(year, member).filter(version=int(version)).first()
    if statement is None:
        raise Http404
    return _shown(year, _providers(year.convention), statement, str(member))


def _statement_table_rows(shown: ShownStatement) -> list[list[str]]:
    rows = []
    for line in shown.rows():
        for component in line["components_shown"]:
            rows.append(
                [
                    line["item"],
                    line["provider"],
                    component["component"],
                    component["source"],
                    line["share_percent"] + " %",
                    cents(component["amount"]),
                ]
            )
    return rows


def statement_blocks(shown: ShownStatement) -> tuple[str, list[Block]]:
    title = _("Décompte %(year)s — %(party)s") % {"year": shown.year, "party": shown.party}
    if shown.version is None:
        status = _("Calcul provisoire : l’exercice est ouvert, ces montants peuvent changer.")
    else:
        status = _("Version %(version)s, émise le %(date)s.") % {
            "version": shown.version,
            "date": long_date(timezone.localtime(shown.issued_at).date()),
        }
        if shown.reason:
            status += " " + _("Correction : %(reason)s") % {"reason": shown.reason}
    blocks: list[Block] = [
        Paragraph(
            _("Convention : %(title)s (%(kind)s).")
            % {"title": shown.convention.title, "kind": shown.convention.get_kind_display()}
        ),
        Paragraph(status),
        *([] if shown.complete else [Paragraph(str(INCOMPLETE))]),
        Heading(2, _("Montants")),
        Table(
            _("Ce que la partie doit pour l’exercice"),
            [_("Poste"), _("Montant")],
            [
                [
                    _("Part du coût total (y compris ce qu’elle met à disposition)"),
                    cents(shown.share),
                ],
                [_("Montant dû aux parties qui mettent à disposition"), cents(shown.due)],
                [_("Montant dû prévu en début d’exercice"), cents(shown.forecast_due)],
                [_("Acomptes versés"), cents(shown.advances)],
                [_("Solde"), shown.balance_text],
            ],
            numeric={1},
        ),
        Heading(2, _("Détail par élément mutualisé")),
        Table(
            _("Usages de la partie"),
            [
                _("Élément"),
                _("Mis à disposition par"),
                _("Prévu"),
                _("Réalisé"),
                _("Montant prévu"),
                _("Montant"),
            ],
            [
                [
                    line["item"],
                    line["provider"],
                    line["units_forecast_text"],
                    line["units_actual_text"],
                    cents(line["forecast_amount"]),
                    cents(line["amount"]),
                ]
                for line in shown.rows()
            ],
            numeric={4, 5},
        ),
        Table(
            _("Détail par composante du coût"),
            [
                _("Élément"),
                _("Mis à disposition par"),
                _("Composante"),
                _("Source"),
                _("Part"),
                _("Montant"),
            ],
            _statement_table_rows(shown),
            numeric={4, 5},
        ),
        Paragraph(
            _(
                "Chaque composante du coût est répartie selon la clé de l’élément et arrondie "
                "au centime par la méthode du plus fort reste : la somme des parts de toutes "
                "les parties est exactement le coût. La part d’un élément qu’une partie met "
                "elle-même à disposition reste à sa charge et n’est pas due."
            )
        ),
    ]
    return title, blocks


def _file_stem(*parts: object) -> str:
    return slugify("-".join(str(part) for part in parts))[:80] or "decompte"


def statement_response(shown: ShownStatement, kind: str) -> HttpResponse:
    stem = _file_stem("decompte", shown.year, shown.party, f"v{shown.version or 0}")
    if kind == "xlsx":
        return spreadsheet_response(
            SpreadsheetFormat.XLSX,
            stem,
            [
                _("Élément"),
                _("Mis à disposition par"),
                _("Composante"),
                _("Source"),
                _("Part (%)"),
                _("Montant (€)"),
                _("Dû"),
            ],
            [
                [
                    line["item"],
                    line["provider"],
                    component["component"],
                    component["source"],
                    Decimal(line["share"]) * 100,
                    Decimal(component["amount"]),
                    _("oui") if line["charged"] else _("non"),
                ]
                for line in shown.rows()
                for component in line["components_shown"]
            ],
        )
    return document_response(*statement_blocks(shown), kind, stem)


CHART_BARS = 15  # beyond, bars too thin to read: the allocation table gives every party


def shares_chart(allocation: Allocation) -> Chart:
    statements = sorted(allocation.statements, key=lambda s: -s.share)
    if len(statements) > CHART_BARS:
        title = _(
            "Qui paie quoi : les %(count)s plus grandes parts du coût total (le tableau de "
            "répartition les donne toutes)"
        ) % {"count": CHART_BARS}
    else:
        title = _("Qui paie quoi : la part de chaque partie du coût total")
    return bar_chart(
        "shares",
        title,
        [Row(label=s.name, value=s.share) for s in statements[:CHART_BARS]],
        unit="€",
        column=_("Part (€)"),
    )


def allocation_response(allocation: Allocation) -> HttpResponse:
    table = selectors.allocation_table(allocation)
    return spreadsheet_response(
        SpreadsheetFormat.XLSX,
        "repartition",
        [
            _("Partie"),
            *[item.name for item in table.items],
            _("Part totale"),
            _("Dû"),
            _("Acomptes"),
            _("Solde"),
        ],
        [
            [row.name, *row.amounts, row.share, row.due, row.advances, row.balance]
            for row in table.rows
        ]
        + [[_("Total"), *table.item_totals, table.total, "", "", ""]],
    )


def report_blocks(convention: Convention) -> tuple[str, list[Block]]:
    """The yearly report on mutualisation for the budget debate (L5211-39-1): what is shared,
    what it costs, how it is distributed, and the change over the years."""
    title = _("Rapport sur la mutualisation — %(title)s") % {"title": convention.title}
    items = list(selectors.items_of(convention))
    years: list[Any] = list(selectors.years_of(convention).order_by("year"))  # with `total`
    blocks: list[Block] = [
        Paragraph(
            _("%(kind)s entre %(parties)s.")
            % {
                "kind": convention.get_kind_display(),
                "parties": ", ".join(str(p) for p in selectors.parties_of(convention)),
            }
        ),
        Heading(2, _("Ce qui est mutualisé")),
        Table(
            _("Éléments mutualisés"),
            [_("Élément"), _("Nature"), _("Unité d’œuvre"), _("Mis à disposition par")],
            [[i.name, i.get_kind_display(), i.get_unit_display(), str(i.provider)] for i in items],
        ),
        Heading(2, _("Coût et évolution")),
        Table(
            _("Coût total par exercice"),
            [_("Exercice"), _("État"), _("Coût total"), _("Évolution")],
            [
                [
                    str(y.year),
                    y.get_status_display(),
                    cents(y.total),
                    _change(y.total, years[index - 1].total) if index else "—",
                ]
                for index, y in enumerate(years)
            ],
            numeric={2, 3},
        ),
        _shares_over_years(convention, years[-REPORT_YEARS:]),
    ]
    for year in reversed(years[-3:]):
        allocation = selectors.allocation_of(year)
        blocks += [
            Heading(2, _("Répartition %(year)s") % {"year": year.year}),
            ChartBlock(shares_chart(allocation)),
        ]
    return title, blocks


REPORT_YEARS = 5  # the years side by side in the report's table of shares


def _shares_over_years(convention: Convention, years: list[AllocationYear]) -> Table:
    """Each party's share of the cost, year by year: the issued statements of the closed years,
    the figures as they stand for an open one (said in its column's heading)."""
    parties = list(selectors.parties_of(convention))
    shares = {
        year.year: {s.party_id: s.share for s in shown_statements(year, parties)} for year in years
    }
    header = [_("Partie")] + [
        str(year.year) if not year.is_open else _("%(year)s (provisoire)") % {"year": year.year}
        for year in years
    ]
    rows = [
        [str(party)] + [cents(shares[year.year].get(party.pk)) for year in years]
        for party in parties
    ]
    return Table(
        _("Part de chaque partie du coût, par exercice"),
        header,
        rows,
        numeric=set(range(1, len(years) + 1)),
    )


def _change(current: Decimal, previous: Decimal) -> str:
    if not previous:
        return "—"
    return f"{number_format((current - previous) / previous * 100, decimal_pos=1)} %"


def report_response(convention: Convention, kind: str) -> HttpResponse:
    return document_response(
        *report_blocks(convention), kind, _file_stem("rapport-mutualisation", convention.title)
    )
