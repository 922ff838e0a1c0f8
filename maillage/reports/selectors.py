"""The figures of the dashboards: one cooperation's, and the overview of several side by side.

Every figure is an aggregate computed by the database (GROUP BY), so that the number of queries
stays the same whatever the number of projects; each row carries the portfolio filter that
makes it, so that the pages link every figure to the projects behind it."""

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field

from maillage.cooperations.enums import CooperationKind, ProposalStatus
from maillage.cooperations.models import Cooperation, StrategyNode
from maillage.cooperations.selectors import (
    CooperationFilters,
    cooperation_list,
    proposal_funnel,
)
from maillage.core.figures import cached_figures, generation
from maillage.core.filters import ListFilters
from maillage.governance.models import Body, Decision, Meeting
from maillage.governance.selectors import body_list, held_q, readable_anywhere, rule_met
from maillage.projects.enums import Currency, FinancingStatus, ProjectStatus
from maillage.projects.models import (
    FinancingLine,
    Indicator,
    IndicatorValue,
    JournalEntry,
    Project,
    late_q,
)
from maillage.projects.selectors import (
    PortfolioFilters,
    RateUsed,
    rates_on,
    readable_projects_q,
    reader_scope,
    visible_projects,
)

TOP = 12  # rows of the owner, funder, programme and territory breakdowns


@dataclass
class Row:
    """One figure of a breakdown: what it counts, how many (or how much), and the portfolio
    filter that lists the projects behind it (`PortfolioFilters` values; empty: no filter says
    it)."""

    label: str
    value: Decimal | int
    filter: dict[str, str] = field(default_factory=dict)
    key: str = ""


@dataclass
class Money:
    """Amounts in euros; lines in other currencies converted at the rates named."""

    total_cost: Decimal | None  # None: no project's cost is known ("non renseigné", never 0)
    financing_total: Decimal
    by_status: list[Row]
    by_funder: list[Row]
    by_programme: list[Row]
    gap: Decimal | None  # None: no total cost is known to compare with
    rates_used: list[RateUsed]
    missing_rates: list[str]


def _eur(sums: dict[str, Decimal], rates: dict[str, RateUsed], used: set, missing: set) -> Decimal:
    """Add amounts kept per currency, in euros at the rates in force."""
    total = Decimal(0)
    for currency, amount in sums.items():
        if currency == Currency.EUR:
            total += amount
        elif currency in rates:
            used.add(currency)
            total += (amount * rates[currency].rate).quantize(Decimal("0.01"))
        else:
            missing.add(currency)
    return total


def _known_eur(
    sums: dict[str, Decimal | None], rates: dict[str, RateUsed], used: set, missing: set
) -> Decimal | None:
    """`_eur` of the amounts that are known; None when none is (an unknown total cost reads
    "non renseigné" everywhere, never 0)."""
    known = {currency: amount for currency, amount in sums.items() if amount is not None}
    return _eur(known, rates, used, missing) if known else None


def _money_rows(
    rows, key: str, label: str, param: str, rates, used: set, missing: set
) -> list[Row]:
    """Rows of (key, label, currency, amount) into euro rows, largest first."""
    grouped: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        grouped[(row[key], row[label])][row["currency"]] = row["amount"] or Decimal(0)
    result = [
        Row(
            label=name or "—",
            value=_eur(sums, rates, used, missing),
            filter={param: str(pk)} if pk else {},
            key=str(pk or ""),
        )
        for (pk, name), sums in grouped.items()
    ]
    return sorted(result, key=lambda row: (-row.value, row.label))


def money(projects: QuerySet[Project], *, on: dt.date) -> Money:
    """Total cost, financing by status, funder and programme, the gap — in euros."""
    rates = rates_on(on)
    used: set[str] = set()
    missing: set[str] = set()
    costs = {
        row["currency"]: row["amount"]
        for row in projects.values("currency").annotate(amount=Sum("total_cost")).order_by()
    }
    lines = FinancingLine.objects.filter(project__in=projects.values("pk"))
    by_status = _money_rows(
        lines.values("status", "currency")
        .annotate(amount=Sum("amount"), label=F("status"))
        .order_by(),
        "status",
        "label",
        "",
        rates,
        used,
        missing,
    )
    status_rows = {row.key: row for row in by_status}
    ordered_status = [
        Row(
            label=str(label),
            value=status_rows[value].value if value in status_rows else Decimal(0),
            filter={"financing_status": value},
            key=value,
        )
        for value, label in FinancingStatus.choices
    ]
    funders = lines.values("funder_id", "currency").annotate(
        amount=Sum("amount"), name=F("funder__name")
    )
    programmes = lines.values("programme_id", "currency").annotate(
        amount=Sum("amount"), name=F("programme__name")
    )
    total_cost = _known_eur(costs, rates, used, missing)
    financing_total = Decimal(sum((row.value for row in ordered_status), Decimal(0)))
    return Money(
        total_cost=total_cost,
        financing_total=financing_total,
        by_status=ordered_status,
        by_funder=_money_rows(
            funders.order_by(), "funder_id", "name", "funder", rates, used, missing
        )[:TOP],
        by_programme=_money_rows(
            programmes.order_by(), "programme_id", "name", "programme", rates, used, missing
        )[:TOP],
        gap=total_cost - financing_total if total_cost is not None else None,
        rates_used=[rates[currency] for currency in sorted(used)],
        missing_rates=sorted(missing),
    )


@dataclass
class ProjectFigures:
    total: int
    by_status: list[Row]
    structuring: int
    late: int
    blocked: int
    by_axis: list[Row]
    by_theme: list[Row]
    by_territory: list[Row]
    by_owner: list[Row]


def _axis_counts(projects: QuerySet[Project], cooperation: Cooperation) -> list[Row]:
    """Projects under each top-level strategy node (a project serving two actions of one axis
    counts once), in one aggregate: each node is mapped to its axis by a CASE."""
    nodes = list(
        StrategyNode.objects.filter(cooperation=cooperation).values(
            "pk", "parent_id", "code", "title", "position"
        )
    )
    parent = {node["pk"]: node["parent_id"] for node in nodes}

    def axis_of(pk: int) -> int:
        while parent[pk] is not None:
            pk = parent[pk]
        return pk

    axes = sorted(
        (node for node in nodes if node["parent_id"] is None),
        key=lambda node: (node["position"], node["pk"]),
    )
    if not axes:
        return []
    links = Project.strategy_nodes.through.objects.filter(project__in=projects.values("pk"))
    axis = Case(
        *[When(strategynode_id=node["pk"], then=V(axis_of(node["pk"]))) for node in nodes],
        output_field=IntegerField(),
    )
    counted = {
        row["axis"]: row["count"]
        for row in links.values(axis=axis)
        .annotate(count=Count("project", distinct=True))
        .order_by()
    }
    return [
        Row(
            label=f"{axis['code']} {axis['title']}".strip(),
            value=counted.get(axis["pk"], 0),
            filter={"strategy_node": str(axis["pk"])},
            key=str(axis["pk"]),
        )
        for axis in axes
    ]


def _link_counts(
    projects, relation: str, target: str, param: str, limit: int | None = None
) -> list[Row]:
    """Projects per theme or territory (through the many-to-many table), largest first."""
    through = getattr(Project, relation).through
    key, name = f"{target}_id", f"{target}__name"
    rows = (
        through.objects.filter(project__in=projects.values("pk"))
        .values(key, name)
        .annotate(count=Count("project"))
        .order_by("-count", name)
    )
    if limit:
        rows = rows[:limit]
    return [
        Row(label=row[name], value=row["count"], filter={param: str(row[key])}, key=str(row[key]))
        for row in rows
    ]


def project_figures(projects: QuerySet[Project], cooperation: Cooperation) -> ProjectFigures:
    figures = projects.aggregate(
        total=Count("pk"),
        structuring=Count("pk", filter=Q(structuring=True)),
        late=Count("pk", filter=late_q()),
        blocked=Count("pk", filter=Q(blocked=True)),
        **{status: Count("pk", filter=Q(status=status)) for status in ProjectStatus.values},
    )
    owners = (
        projects.exclude(owner=None)
        .values("owner_id", "owner__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "owner__name")[:TOP]
    )
    return ProjectFigures(
        total=figures["total"],
        by_status=[
            Row(label=str(label), value=figures[value], filter={"status": value}, key=value)
            for value, label in ProjectStatus.choices
        ],
        structuring=figures["structuring"],
        late=figures["late"],
        blocked=figures["blocked"],
        by_axis=_axis_counts(projects, cooperation),
        by_theme=_link_counts(projects, "themes", "theme", "theme"),
        by_territory=_link_counts(projects, "territories", "territory", "territory", TOP),
        by_owner=[
            Row(
                label=row["owner__name"],
                value=row["count"],
                filter={"owner": str(row["owner_id"])},
                key=str(row["owner_id"]),
            )
            for row in owners
        ],
    )


@dataclass
class IndicatorFigures:
    total: int
    with_target: int
    measured: int
    reached: int


def indicator_figures(projects: QuerySet[Project]) -> IndicatorFigures:
    """How many indicators have a target, a measured value, and reached their target (their
    latest value, from the baseline's side)."""
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-pk")
    indicators = Indicator.objects.filter(project__in=projects.values("pk")).annotate(
        latest=Subquery(latest.values("value")[:1])
    )
    reached_up = Q(target__gte=F("baseline")) | Q(baseline=None)
    at_target = (reached_up & Q(latest__gte=F("target"))) | (
        ~reached_up & Q(latest__lte=F("target"))
    )
    figures = indicators.aggregate(
        total=Count("pk"),
        with_target=Count("pk", filter=~Q(target=None)),
        measured=Count("pk", filter=~Q(latest=None)),
        reached=Count(
            "pk",
            filter=~Q(target=None) & ~Q(latest=None) & at_target,
        ),
    )
    return IndicatorFigures(**figures)


@dataclass
class GovernanceFigures:
    year: int
    bodies: list[dict]
    meetings_held: int
    decisions: int
    next_meeting: dt.datetime | None = None  # the figures change when it begins (held)


def governance_figures(user, cooperation: Cooperation, *, year: int) -> GovernanceFigures:
    bodies = list(body_list(user, cooperation))
    held = (
        Meeting.objects.filter(cooperation=cooperation)
        .filter(held_q(year), readable_anywhere(user))
        .count()
    )
    decisions = Decision.objects.filter(
        body__in=[body.pk for body in bodies], date__year=year
    ).count()
    next_meeting = Meeting.objects.filter(
        cooperation=cooperation, start__gt=timezone.now()
    ).aggregate(start=Min("start"))["start"]
    return GovernanceFigures(
        year=year,
        bodies=[
            {
                "id": body.pk,
                "name": body.name,
                "meetings_per_year": body.meetings_per_year,
                "meetings_this_year": body.meetings_this_year,  # type: ignore[attr-defined]
                "rule_met": rule_met(body),
                "url": body.get_absolute_url(),
            }
            for body in bodies
        ],
        meetings_held=held,
        decisions=decisions,
        next_meeting=next_meeting,
    )


@dataclass
class Funnel:
    submitted: int
    retained: int
    declined: int
    turned_into_projects: int


def funnel(projects: QuerySet[Project], cooperation: Cooperation, user) -> Funnel:
    """Proposals submitted → retained → turned into projects, among those the user may read
    (every proposal counts as submitted; merged ones count as retained into another)."""
    counts = proposal_funnel(cooperation, user)
    turned = projects.exclude(proposal=None).aggregate(n=Count("proposal", distinct=True))["n"]
    return Funnel(
        submitted=sum(counts.values()),
        retained=counts[ProposalStatus.RETAINED] + counts[ProposalStatus.MERGED],
        declined=counts[ProposalStatus.DECLINED],
        turned_into_projects=turned,
    )


@dataclass
class Changes:
    since: dt.date
    new_projects: int
    status_changes: int
    decisions: int


def changes_since(projects: QuerySet[Project], cooperation: Cooperation, since: dt.date) -> Changes:
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    return Changes(
        since=since,
        new_projects=projects.filter(created_at__gte=start).count(),
        # A project's first status (its creation) is not a change.
        status_changes=JournalEntry.objects.filter(
            project__in=projects.values("pk"), kind="status", date__gte=since
        )
        .exclude(status_before="")
        .count(),
        decisions=Decision.objects.filter(body__cooperation=cooperation, date__gte=since).count(),
    )


@dataclass
class Dashboard:
    cooperation: Cooperation
    projects: ProjectFigures
    financing: Money
    indicators: IndicatorFigures
    governance: GovernanceFigures
    funnel: Funnel
    changes: Changes
    portfolio_url: str
    # Names these figures in the cache ("" when computed afresh): the page keeps its rendered
    # charts under it too.
    cache_key: str = ""

    def link(self, row: Row) -> str:
        return self.portfolio_link(**row.filter) if row.filter else ""

    def portfolio_link(self, **filters: Any) -> str:
        """The portfolio page listing the projects of these `PortfolioFilters` values."""
        return f"{self.portfolio_url}?{urlencode(PortfolioFilters.page_query(**filters))}"


def dashboard(
    user,
    cooperation: Cooperation,
    *,
    since: dt.date | None = None,
    projects: QuerySet[Project] | None = None,
) -> Dashboard:
    """A cooperation's dashboard, on the projects the user may read (or those given: a
    report's, computed afresh). The page's and the API's come from the cache while nothing
    they read has changed (core.figures), shared by the readers who see the same."""
    today = timezone.localdate()
    since = since or today.replace(month=1, day=1)
    if projects is not None:
        return _dashboard(user, cooperation, projects, today=today, since=since)
    scope = reader_scope(user, cooperation)
    key = ":".join(map(str, ("dashboard", cooperation.pk, scope, today, since, get_language())))

    def compute() -> Dashboard:
        board = _dashboard(
            user, cooperation, visible_projects(user, cooperation), today=today, since=since
        )
        board.cache_key = f"{key}:{generation()}:{time.time_ns()}"
        return board

    return cached_figures(key, compute, valid_until=lambda board: board.governance.next_meeting)


def _dashboard(
    user, cooperation: Cooperation, projects: QuerySet[Project], *, today: dt.date, since: dt.date
) -> Dashboard:
    return Dashboard(
        cooperation=cooperation,
        projects=project_figures(projects, cooperation),
        financing=money(projects, on=today),
        indicators=indicator_figures(projects),
        governance=governance_figures(user, cooperation, year=today.year),
        funnel=funnel(projects, cooperation, user),
        changes=changes_since(projects, cooperation, since),
        portfolio_url=reverse("projects:portfolio", kwargs={"slug": cooperation.slug}),
    )


# The overview -------------------------------------------------------------------------------


@dataclass
class OverviewLine:
    cooperation: Cooperation
    projects: int = 0
    engaged: int = 0
    structuring: int = 0
    late: int = 0
    total_cost: Decimal | None = None  # no project's cost known
    financing_secured: Decimal = Decimal(0)  # granted or paid, in euros
    bodies_with_rule: int = 0
    bodies_meeting_rule: int = 0
    meetings_this_year: int = 0
    decisions_this_year: int = 0


def overview(user, cooperations: Iterable[Cooperation]) -> list[OverviewLine]:
    """The same figures for several cooperations side by side (one page of them): five
    aggregate queries whatever their number and the number of their projects."""
    today = timezone.localdate()
    lines = {cooperation.pk: OverviewLine(cooperation) for cooperation in cooperations}
    ids = list(lines)
    # The cooperations are the user's visible ones already: only the projects' rule remains.
    projects = Project.objects.filter(readable_projects_q(user), cooperation__in=ids)
    for row in (
        projects.values("cooperation_id")
        .annotate(
            n=Count("pk"),
            engaged=Count("pk", filter=Q(status=ProjectStatus.ENGAGED)),
            structuring=Count("pk", filter=Q(structuring=True)),
            late_count=Count("pk", filter=late_q()),
        )
        .order_by()
    ):
        line = lines[row["cooperation_id"]]
        line.projects, line.engaged = row["n"], row["engaged"]
        line.structuring, line.late = row["structuring"], row["late_count"]
    rates = rates_on(today)
    used: set[str] = set()
    missing: set[str] = set()
    costs: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    cost_rows = projects.values("cooperation_id", "currency").annotate(a=Sum("total_cost"))
    for row in cost_rows.order_by():
        costs[row["cooperation_id"]][row["currency"]] = row["a"]
    secured: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        FinancingLine.objects.filter(
            readable_projects_q(user, "project__"),
            project__cooperation__in=ids,
            status__in=[FinancingStatus.GRANTED, FinancingStatus.PAID],
        )
        .values("project__cooperation_id", "currency")
        .annotate(a=Sum("amount"))
        .order_by()
    ):
        secured[row["project__cooperation_id"]][row["currency"]] = row["a"] or Decimal(0)
    for pk, line in lines.items():
        line.total_cost = _known_eur(costs[pk], rates, used, missing)
        line.financing_secured = _eur(secured[pk], rates, used, missing)
    for row in (
        Body.objects.filter(cooperation__in=ids, meetings_per_year__isnull=False)
        .filter(readable_anywhere(user))
        .annotate(held=Count("meetings", filter=held_q(today.year, "meetings__")))
        .values("cooperation_id", "meetings_per_year", "held")
    ):
        line = lines[row["cooperation_id"]]
        line.bodies_with_rule += 1
        line.bodies_meeting_rule += row["held"] >= row["meetings_per_year"]
    for row in (
        Meeting.objects.filter(cooperation__in=ids)
        .filter(held_q(today.year), readable_anywhere(user))
        .values("cooperation_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        lines[row["cooperation_id"]].meetings_this_year = row["n"]
    for row in (
        Decision.objects.filter(body__cooperation__in=ids, date__year=today.year)
        .values("body__cooperation_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        lines[row["body__cooperation_id"]].decisions_this_year = row["n"]
    return [lines[pk] for pk in ids]


OVERVIEW_PAGE_SIZE = 50


class OverviewFilters(ListFilters):
    kind: CooperationKind | None = None
    territory: int | None = Field(
        default=None, description="Couvrant ce territoire, dedans ou autour"
    )
    mine: bool | None = Field(
        default=None,
        description="Seulement celles où l’on est membre ; absent : oui pour un membre d’au "
        "moins une coopération (le personnel de la plateforme voit tout)",
    )

    PAGE_PARAMS = {"nature": "kind", "territoire": "territory", "perimetre": "mine"}
    PAGE_VALUES = {"mine": {"miennes": "true", "toutes": "false"}}


def overview_scope_is_mine(user, filters: OverviewFilters) -> bool:
    """Whether the overview shows only the user's cooperations: as asked, else a member's own."""
    if filters.mine is not None:
        return filters.mine and user.is_authenticated
    return user.is_authenticated and not user.is_staff and user.memberships.exists()


def overview_cooperations(user, filters: OverviewFilters) -> QuerySet[Cooperation]:
    """The cooperations of the overview: those the user may see, of a kind, covering a
    territory, and only theirs (where they are members) when `overview_scope_is_mine`."""
    cooperations = cooperation_list(
        user=user,
        filters=CooperationFilters(kind=filters.kind, territory=filters.territory),
    )
    if overview_scope_is_mine(user, filters):
        cooperations = cooperations.filter(memberships__user=user)
    return cooperations


def reports_of(cooperation: Cooperation) -> QuerySet:
    """A cooperation's yearly reports, newest first, with their files and annexes (three
    queries whatever their number)."""
    from maillage.reports.models import Report

    return (
        Report.objects.filter(cooperation=cooperation)
        .select_related("cooperation", "document__cooperation")
        .prefetch_related("annexes__cooperation")
        .order_by("-created_at", "-pk")
    )
