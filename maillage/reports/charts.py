"""Bar charts drawn on the server as SVG: the same chart on the dashboard page and in the
report, readable by everyone — a title, a sentence that says what it shows, the value written
beside each bar (colour carries no meaning), and the table of its data. Nothing is loaded from
elsewhere."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.reports.selectors import Dashboard, Row

# In SVG units, shown at most one unit to a pixel (a full-width chart on a laptop's screen):
# a 15-unit text reads as the page's own.
BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, FONT_SIZE = 28, 8, 300, 400, 15


def amount(value: Decimal | int, unit: str = "") -> str:
    """French typography: thousands grouped with a (non-breaking) space, the unit after."""
    text = number_format(value, decimal_pos=0, force_grouping=True)
    return f"{text}\u00a0{unit}" if unit else text


@dataclass
class Bar:
    label: str
    value: Decimal | int
    text: str
    width: float  # in SVG units
    y: int
    link: str

    @property
    def value_x(self) -> float:
        """Where the written value starts: just after the bar (no `dx`, which not every SVG
        reader applies)."""
        return round(LABEL_WIDTH + self.width + 8, 1)

    @property
    def text_y(self) -> float:
        """The baseline of the bar's texts, centred on the bar."""
        return self.y + (BAR_HEIGHT + FONT_SIZE * 0.7) / 2


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    bars: list[Bar]
    height: int
    unit: str
    column: str  # the heading of the data table's value column

    bar_height = BAR_HEIGHT
    font_size = FONT_SIZE

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + 140

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[Row],
    *,
    unit: str = "",
    column: str = "",
    link=lambda row: "",
) -> Chart:
    """A horizontal bar chart of `rows`; `link(row)` is where each bar leads (the portfolio
    filtered to its projects)."""
    largest = max((row.value for row in rows), default=0) or 1
    bars = [
        Bar(
            label=row.label,
            value=row.value,
            text=amount(row.value, unit),
            width=round(float(row.value) / float(largest) * BAR_WIDTH, 1),
            y=index * (BAR_HEIGHT + GAP),
            link=link(row),
        )
        for index, row in enumerate(rows)
    ]
    return Chart(
        id=chart_id,
        title=title,
        summary=_summary(rows, unit),
        bars=bars,
        height=max(len(bars), 1) * (BAR_HEIGHT + GAP),
        unit=unit,
        column=column or _("Valeur"),
    )


def _summary(rows: list[Row], unit: str) -> str:
    shown = [row for row in rows if row.value]
    if not shown:
        return _("Aucune donnée à représenter.")
    top = max(shown, key=lambda row: row.value)
    total = sum((row.value for row in rows), Decimal(0))
    return ngettext(
        "%(count)s catégorie sur %(rows)s a une valeur ; la plus grande est « %(label)s » "
        "(%(value)s), pour un total de %(total)s.",
        "%(count)s catégories sur %(rows)s ont une valeur ; la plus grande est « %(label)s » "
        "(%(value)s), pour un total de %(total)s.",
        len(shown),
    ) % {
        "count": len(shown),
        "rows": len(rows),
        "label": top.label,
        "value": amount(top.value, unit),
        "total": amount(total, unit),
    }


def dashboard_charts(board: Dashboard) -> list[Chart]:
    """The dashboard's charts, the same on the page and in the report: five counts of
    projects, then three sums of money (bars of money by stage lead nowhere: no portfolio
    filter says a financing stage)."""
    projects, money = board.projects, board.financing
    counts = [
        ("par-statut", _("Projets par statut"), projects.by_status),
        ("par-axe", _("Projets par axe de la stratégie"), projects.by_axis),
        ("par-thematique", _("Projets par thématique"), projects.by_theme),
        ("par-territoire", _("Projets par territoire"), projects.by_territory),
        ("par-porteur", _("Projets par porteur"), projects.by_owner),
    ]
    sums = [
        ("financement-statut", _("Financements par étape (en euros)"), money.by_status),
        ("financement-financeur", _("Financements par financeur (en euros)"), money.by_funder),
        ("financement-dispositif", _("Financements par dispositif (en euros)"), money.by_programme),
    ]
    return [
        bar_chart(chart_id, title, rows, column=_("Projets"), link=board.link)
        for chart_id, title, rows in counts
    ] + [
        bar_chart(chart_id, title, rows, unit="€", column=_("Montant"), link=board.link)
        for chart_id, title, rows in sums
    ]
