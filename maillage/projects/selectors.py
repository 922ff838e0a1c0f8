"""Reads of projects: the portfolio with its filters and counts, a project's financing plan."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypeVar

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.utils import timezone
from ninja import Field
from reversion.models import Version

from maillage.accounts.models import Membership
from maillage.accounts.selectors import role_in
from maillage.cooperations.models import Cooperation, StrategyNode
from maillage.core.enums import Role, Visibility
from maillage.core.figures import cached_figures
from maillage.core.filters import ListFilters
from maillage.core.history import deleted_versions
from maillage.core.permissions import is_staff
from maillage.core.text import fold
from maillage.directory.models import Organisation
from maillage.projects.enums import SHARED_STATUS, Currency, FinancingStatus, ProjectStatus
from maillage.projects.models import (
    ExchangeRate,
    FinancingLine,
    Programme,
    Project,
    is_late,
    late_q,
)
from maillage.territories.models import Territory

T = TypeVar("T")

SORTS = {
    "code": ("code",),
    "titre": ("title", "code"),
    "statut": ("status", "code"),
    "fin": ("end_date", "code"),
    "cout": ("total_cost", "code"),
    "-cout": ("-total_cost", "code"),
}
HEALTH_FLAGS = ("late", "blocked", "to_discuss")
Health = Literal["late", "blocked", "to_discuss"]
Sort = Literal["code", "titre", "statut", "fin", "cout", "-cout"]


class PortfolioFilters(ListFilters):
    """The filters of a portfolio, shared by the page, the API, the export and the links of
    the dashboards."""

    status: ProjectStatus | None = None
    health: Health | None = None
    strategy_node: int | None = Field(
        default=None, description="Cet élément ou un élément sous lui"
    )
    theme: int | None = None
    territory: int | None = None
    owner: int | None = None
    funder: int | None = None
    programme: int | None = None
    financing_status: FinancingStatus | None = Field(
        default=None,
        description="Projets ayant une ligne de financement à cette étape (avec le financeur "
        "et le dispositif demandés)",
    )
    structuring: bool | None = None
    starts_after: date | None = None
    ends_before: date | None = None
    search: str = ""
    sort: Sort = "code"

    PAGE_PARAMS = {
        "statut": "status",
        "sante": "health",
        "strategie": "strategy_node",
        "thematique": "theme",
        "territoire": "territory",
        "porteur": "owner",
        "financeur": "funder",
        "dispositif": "programme",
        "financement": "financing_status",
        "structurant": "structuring",
        "debut_apres": "starts_after",
        "fin_avant": "ends_before",
        "q": "search",
        "tri": "sort",
    }
    PAGE_VALUES = {
        "health": {"bloque": "blocked", "a-discuter": "to_discuss"},
        "structuring": {"oui": "true", "non": "false"},
    }


def visible_projects(user, cooperation: Cooperation) -> QuerySet[Project]:
    """The projects of a cooperation a user may read (the cooperation itself is checked by
    the caller): public ones; partners-only ones for members; restricted ones for
    coordinators and the project's contacts."""
    projects = Project.objects.filter(cooperation=cooperation)
    role = role_in(user, cooperation.pk)
    if is_staff(user) or role == Role.COORDINATOR:
        return projects
    readable = Q(visibility=Visibility.PUBLIC)
    if role is not None:  # a contact's name counts while they are a member (permissions)
        readable |= Q(visibility=Visibility.PARTNERS)
        readable |= Q(pk__in=Project.contacts.through.objects.filter(user=user).values("project"))
    return projects.filter(readable)


def reader_scope(user, cooperation: Cooperation) -> str:
    """Who reads the same projects of a cooperation (`visible_projects`), hence the same
    figures: staff and its coordinators everything, visitors the public part; any other account
    its own (a project's contact, a proposal's author sees more than the others). Names what
    the cache keeps for them (the portfolio, the dashboard)."""
    if is_staff(user) or role_in(user, cooperation.pk) == Role.COORDINATOR:
        return "all"
    if not user.is_authenticated:
        return "public"
    return f"user-{user.pk}"


def readers_key(name: str, user, cooperation: Cooperation, filters: ListFilters) -> str:
    """Names what the readers of the same scope asking the same filters on the same day (a
    late project is late from a date on) share in the cache."""
    wanted = hashlib.sha256(filters.model_dump_json().encode()).hexdigest()[:32]
    scope = reader_scope(user, cooperation)
    return f"{name}:{cooperation.pk}:{scope}:{timezone.localdate()}:{wanted}"


def cached_for_readers(
    name: str, user, cooperation: Cooperation, filters: ListFilters, compute: Callable[[], T]
) -> T:
    """`compute()`, from the cache while the data is unchanged (core.figures), shared by the
    readers of `readers_key`."""
    key = readers_key(name, user, cooperation, filters)
    return cached_figures(key, compute, valid_until=lambda _value: None)


def readable_projects_q(user, prefix: str = "") -> Q:
    """The project-level rule of `visible_projects` for every cooperation at once, as a
    condition on a project reached through `prefix` ("project__" from a financing line…);
    the cooperations' own visibility is the caller's."""
    if is_staff(user):
        return Q()

    def on(**lookups) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    readable = on(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        memberships = Membership.objects.filter(user=user)
        readable |= on(
            visibility=Visibility.PARTNERS, cooperation__in=memberships.values("cooperation")
        )
        readable |= on(cooperation__in=memberships.filter(role="coordinator").values("cooperation"))
        readable |= on(
            pk__in=Project.contacts.through.objects.filter(
                user=user, project__cooperation__in=memberships.values("cooperation")
            ).values("project")
        )
    return readable


def projects_visible_to(user) -> QuerySet[Project]:
    """Every project a user may read, across cooperations, in one query (the rule of
    `visible_projects`, with the cooperation's own visibility)."""
    cooperations = Cooperation.objects.visible_to(user).values("pk")
    projects = Project.objects.filter(cooperation__in=cooperations)
    if is_staff(user):
        return projects
    return projects.filter(readable_projects_q(user))


def related_projects(user, **lookup) -> QuerySet[Project]:
    """The projects a user may read that a page lists (a territory's, an organisation's, a
    strategy node's), with their cooperation, in one query."""
    return (
        projects_visible_to(user)
        .filter(**lookup)
        .select_related("cooperation", "owner")
        .distinct()
        .order_by("cooperation__title", "code")
    )


def _under(cooperation: Cooperation, node_id: int) -> list[int]:
    """A strategy node and every node below it (one query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in StrategyNode.objects.filter(cooperation=cooperation).values_list(
        "pk", "parent"
    ):
        children[parent].append(pk)
    found, frontier = [node_id], [node_id]
    while frontier:
        frontier = [child for pk in frontier for child in children[pk]]
        found += frontier
    return found


def filtered(projects: QuerySet[Project], cooperation, filters: PortfolioFilters):
    """Apply every filter but the status (the status counts are taken before it)."""
    f = filters
    if f.health == "late":
        projects = projects.filter(late_q())
    elif f.health == "blocked":
        projects = projects.filter(blocked=True)
    elif f.health == "to_discuss":
        projects = projects.filter(to_discuss=True)
    if f.strategy_node:
        projects = projects.filter(
            pk__in=Project.strategy_nodes.through.objects.filter(
                strategynode__in=_under(cooperation, f.strategy_node)
            ).values("project")
        )
    if f.theme:
        projects = projects.filter(themes=f.theme)
    if f.territory:
        projects = projects.filter(territories=f.territory)
    if f.owner:
        projects = projects.filter(owner=f.owner)
    if f.funder or f.programme or f.financing_status:
        # One line must match them all: "a FEDER line granted", not "FEDER and something granted".
        lines = FinancingLine.objects.all()
        if f.funder:
            lines = lines.filter(funder=f.funder)
        if f.programme:
            lines = lines.filter(programme=f.programme)
        if f.financing_status:
            lines = lines.filter(status=f.financing_status)
        projects = projects.filter(pk__in=lines.values("project"))
    if f.structuring is not None:
        projects = projects.filter(structuring=f.structuring)
    if f.starts_after:
        projects = projects.filter(start_date__gte=f.starts_after)
    if f.ends_before:
        projects = projects.filter(end_date__lte=f.ends_before)
    if f.search:
        # Case and accents folded ("college" finds "Collège"): code, title and the summary's
        # beginning; the rest of a long summary as typed.
        projects = projects.filter(
            Q(search_name__contains=fold(f.search)) | Q(summary__icontains=f.search)
        )
    return projects


# Correlated subqueries, computed for the rows of a page only and left out of its count (built
# once: each use resolves a copy).
def financing_total_eur(rates: dict[str, "RateUsed"]) -> Subquery:
    """A project's financing in euros, line by line at `rates` as `financing_plan` adds them
    (a line in a currency without a rate is left out, and said where the total is shown):
    a correlated subquery, computed for the rows of a page only."""
    return Subquery(
        FinancingLine.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(in_euros(rates)))
        .values("total")
    )


def _selected(user, cooperation: Cooperation, filters: PortfolioFilters) -> QuerySet[Project]:
    """The portfolio's projects the filters (status included) keep, in the chosen order."""
    projects = filtered(visible_projects(user, cooperation), cooperation, filters)
    if filters.status:
        projects = projects.filter(status=filters.status)
    return projects.order_by(*SORTS.get(filters.sort, SORTS["code"]))


def portfolio(
    user, cooperation: Cooperation, filters: PortfolioFilters, *, rates=None
) -> QuerySet[Project]:
    """The portfolio's projects in a fixed number of queries, whatever their number: the
    financing total in euros (at `rates`, today's by default) summed in the same query."""
    rates = rates_on(timezone.localdate()) if rates is None else rates
    return _selected(user, cooperation, filters).annotate(
        financing_total=financing_total_eur(rates)
    )


# What a portfolio row shows, on the page and in the API.
ROW_COLUMNS = (
    "id",
    "cooperation_id",
    "code",
    "title",
    "summary",
    "status",
    "structuring",
    "blocked",
    "to_discuss",
    "owner_id",
    "start_date",
    "end_date",
    "total_cost",
    "currency",
    "financing_total",
    "visibility",
)


# Up to this offset a page is read in one query (its totals computed for the rows skipped
# too, a few hundred at most); beyond, its ids first (bench/portfolio.py measures both).
DIRECT_PAGES_UP_TO = 500


class PortfolioRows:
    """The portfolio's rows as plain values (`ROW_COLUMNS` and `owner_name`), a page at a time
    for Django's Paginator and django-ninja's `@paginate`: first the page's ids (filtered,
    sorted and sliced: nothing computed for the rows skipped, so a deep page costs what the
    first does), then those rows with their owner's name (a join) and their financing total;
    the first pages in one query.
    Read as model instances, a page of 100 rows cost several times the query itself.

    `count`, when the caller has it already (the page's figures), spares the count query."""

    ordered = True  # for the Paginator: the order is the filters'

    def __init__(
        self,
        user,
        cooperation: Cooperation,
        filters: PortfolioFilters,
        *,
        rates=None,
        count: int | None = None,
    ) -> None:
        self.user, self.cooperation, self.filters = user, cooperation, filters
        self.selected = _selected(user, cooperation, filters)
        self.rates = rates_on(timezone.localdate()) if rates is None else rates
        self.known_count = count
        self.page_key = ""

    def count(self) -> int:
        return self.selected.count() if self.known_count is None else self.known_count

    def __len__(self) -> int:
        return self.count()

    def all(self) -> "PortfolioRows":
        return self  # `@paginate` counts `.all().count()`

    def _rows(self, projects: QuerySet[Project]) -> QuerySet[Project, dict[str, Any]]:
        return projects.annotate(financing_total=financing_total_eur(self.rates)).values(
            *ROW_COLUMNS, owner_name=F("owner__name")
        )

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        """A page of rows, from the cache while the data is unchanged (core.figures);
        `page_key` then names it (the page keeps its rendered rows under it)."""
        self.page_key = readers_key(
            f"portfolio-rows:{page.start}:{page.stop}", self.user, self.cooperation, self.filters
        )
        return cached_figures(self.page_key, lambda: self._page(page), lambda _rows: None)

    def _page(self, page: slice) -> list[dict[str, Any]]:
        if (page.start or 0) < DIRECT_PAGES_UP_TO:  # few rows skipped: one query is cheaper
            return list(self._rows(self.selected)[page])
        ids = list(self.selected.values_list("pk", flat=True)[page])
        position = {pk: index for index, pk in enumerate(ids)}
        rows = self._rows(Project.objects.filter(pk__in=ids))
        return sorted(rows, key=lambda row: position[row["id"]])


def with_computed_fields(rows) -> list[dict[str, Any]]:
    """Complete a page of `PortfolioRows` with what is computed rather than stored: the shared
    status of French project platforms and the late flag (the page and the API show both)."""
    rows = list(rows)
    for row in rows:
        row["shared_status"] = SHARED_STATUS[row["status"]]
        row["late"] = is_late(row["end_date"], row["status"])
    return rows


def filter_choices(cooperation: Cooperation) -> dict[str, list]:
    """The options of the portfolio's filters, from the cache while the data is unchanged
    (core.figures): the funders' alone scanned the portfolio's financing lines (about 30 ms at
    10 000 projects on each page)."""
    return cached_figures(
        f"portfolio-options:{cooperation.pk}",
        lambda: {name: list(options) for name, options in _filter_choices(cooperation).items()},
        valid_until=lambda _options: None,
    )


def _filter_choices(cooperation: Cooperation) -> dict[str, QuerySet]:
    """Only what the portfolio uses (one query each; EXISTS per organisation is an index
    lookup, not a scan of the portfolio), read with the columns their labels need only."""
    return {
        "nodes": cooperation.strategy_nodes.order_by("code").only(
            "pk", "code", "title", "cooperation"
        ),
        "themes": cooperation.themes.only("pk", "name", "cooperation"),
        "territories": Territory.objects.filter(
            pk__in=Project.territories.through.objects.filter(
                project__cooperation=cooperation
            ).values("territory")
        )
        .order_by("name")
        .only("pk", "name", "code"),
        "owners": Organisation.objects.filter(
            Exists(Project.objects.filter(owner=OuterRef("pk"), cooperation=cooperation))
        )
        .order_by("search_name")
        .values_list("pk", "name"),
        "funders": Organisation.objects.filter(
            Exists(
                FinancingLine.objects.filter(
                    funder=OuterRef("pk"), project__cooperation=cooperation
                )
            )
        )
        .order_by("search_name")
        .values_list("pk", "name"),
        "programmes": Programme.objects.values_list("pk", "name"),
    }


@dataclass
class PortfolioCounts:
    total: int
    by_status: dict[str, int]
    structuring: int
    late: int


def portfolio_counts(user, cooperation: Cooperation, filters: PortfolioFilters) -> PortfolioCounts:
    """The figures above the table (Cambrésis: 280 projects, 91 engaged, 12 structuring), for
    the current filters but the status, in one query; from the cache while the data is
    unchanged (they read the whole portfolio: about 10 ms at 10 000 projects)."""
    return cached_for_readers(
        "portfolio-counts",
        user,
        cooperation,
        filters.model_copy(update={"status": None, "sort": "code"}),
        lambda: _portfolio_counts(user, cooperation, filters),
    )


def _portfolio_counts(user, cooperation: Cooperation, filters: PortfolioFilters) -> PortfolioCounts:
    projects = filtered(visible_projects(user, cooperation), cooperation, filters)
    figures = projects.aggregate(
        total=Count("pk"),
        structuring=Count("pk", filter=Q(structuring=True)),
        late=Count("pk", filter=late_q()),
        **{status: Count("pk", filter=Q(status=status)) for status in ProjectStatus.values},
    )
    return PortfolioCounts(
        total=figures["total"],
        by_status={status: figures[status] for status in ProjectStatus.values},
        structuring=figures["structuring"],
        late=figures["late"],
    )


# Money -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateUsed:
    currency: str
    rate: Decimal
    valid_from: date
    source: str


def rates_on(day: date) -> dict[str, RateUsed]:
    """The exchange rate of each currency in force on `day` (the latest before it); from the
    cache while the rates are unchanged (core.figures)."""
    return cached_figures(f"rates:{day}", lambda: _rates_on(day), lambda _rates: None)


def _rates_on(day: date) -> dict[str, RateUsed]:
    rates: dict[str, RateUsed] = {}
    for currency, rate, valid_from, source in (
        ExchangeRate.objects.filter(valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("currency", "rate", "valid_from", "source")
    ):
        rates.setdefault(currency, RateUsed(currency, rate, valid_from, source))
    return rates


class MissingRate(Exception):
    """No exchange rate is kept for a currency at that date."""


def to_eur(amount: Decimal, currency: str, rates: dict[str, RateUsed]) -> Decimal:
    """An amount in euros at `rates`, rounded to the cent half up (as `in_euros` in SQL)."""
    if currency == Currency.EUR:
        return amount
    if currency not in rates:
        raise MissingRate(currency)
    return (amount * rates[currency].rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def in_euros(
    rates: dict[str, RateUsed], amount: str = "amount", currency: str = "currency"
) -> Round:
    """`to_eur` in SQL: a column of amounts in euros, row by row (the amount times its
    currency's rate, rounded to the cent); NULL where no rate is kept for the row's currency
    (a sum then leaves it out)."""
    rate = Case(
        When(**{currency: Currency.EUR}, then=Value(Decimal(1))),
        *(
            When(**{currency: code}, then=Value(value.rate))
            for code, value in rates.items()
            if code != Currency.EUR
        ),
        output_field=DecimalField(max_digits=12, decimal_places=6),
    )
    return Round(F(amount) * rate, 2, output_field=DecimalField(max_digits=16, decimal_places=2))


@dataclass
class FinancingPlan:
    lines: list[FinancingLine]
    total_cost_eur: Decimal | None
    total_eur: Decimal
    by_status: dict[str, Decimal]
    by_funder: list[tuple[str, Decimal, Decimal]]  # name, amount in EUR, share in %
    gap: Decimal | None
    rates_used: list[RateUsed] = field(default_factory=list)
    missing_rates: list[str] = field(default_factory=list)

    @property
    def status_rows(self) -> list[tuple[str, Decimal]]:
        return [
            (str(FinancingStatus(status).label), amount)
            for status, amount in self.by_status.items()
        ]


def financing_plan(project: Project, *, on: date | None = None) -> FinancingPlan:
    """A project's financing plan in euros: totals by status, each funder's share, the gap to
    the total cost, and the exchange rates used for the lines in other currencies."""
    lines = list(project.financing.select_related("funder", "programme"))
    rates = rates_on(on or timezone.localdate())
    used: dict[str, RateUsed] = {}
    missing: set[str] = set()
    by_status = dict.fromkeys(FinancingStatus.values, Decimal(0))
    by_funder: dict[str, Decimal] = defaultdict(Decimal)

    def eur(amount: Decimal, currency: str) -> Decimal:
        try:
            value = to_eur(amount, currency, rates)
        except MissingRate:
            missing.add(currency)
            return Decimal(0)
        if currency != Currency.EUR:
            used[currency] = rates[currency]
        return value

    for line in lines:
        amount = eur(line.amount, line.currency)
        by_status[line.status] += amount
        by_funder[line.funder.name] += amount
    total = sum(by_status.values(), Decimal(0))
    cost = eur(project.total_cost, project.currency) if project.total_cost is not None else None
    shares = [
        (name, amount, (amount * 100 / total).quantize(Decimal("0.1")) if total else Decimal(0))
        for name, amount in sorted(by_funder.items(), key=lambda item: -item[1])
    ]
    return FinancingPlan(
        lines=lines,
        total_cost_eur=cost,
        total_eur=total,
        by_status=by_status,
        by_funder=shares,
        gap=None if cost is None else cost - total,
        rates_used=list(used.values()),
        missing_rates=sorted(missing),
    )


def indicator_progress(indicator, values: list) -> Decimal | None:
    """How far the latest value has gone from the baseline toward the target, in %."""
    if indicator.target is None or not values:
        return None
    start = indicator.baseline or Decimal(0)
    if indicator.target == start:
        return None
    latest = values[-1].value
    return ((latest - start) * 100 / (indicator.target - start)).quantize(Decimal("0.1"))


def deleted_projects(cooperation: Cooperation) -> list[Version]:
    """The last version of each deleted project of a cooperation, newest deletion first (two
    queries whatever their number: the versions with their revision and its author)."""
    return [
        version
        for version in deleted_versions(Project)
        if version.field_dict.get("cooperation_id") == cooperation.pk
    ]


def deleted_project(cooperation: Cooperation, version_id: int) -> Version | None:
    """One of `deleted_projects`, by its version's id (page and API)."""
    return next((v for v in deleted_projects(cooperation) if v.pk == version_id), None)
