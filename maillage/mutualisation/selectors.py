"""Reads of conventions and of their years, each in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from maillage.accounts.selectors import role_in
from maillage.cooperations.models import Cooperation
from maillage.core.enums import Visibility
from maillage.core.figures import cached_figures
from maillage.core.permissions import can_read, is_staff
from maillage.mutualisation.allocation import (
    Allocation,
    CostInput,
    ItemInput,
    YearInputs,
    allocate,
)
from maillage.mutualisation.enums import YearStatus
from maillage.mutualisation.models import (
    AllocationYear,
    Convention,
    ConventionParty,
    Cost,
    SharedItem,
    Statement,
)
from maillage.territories.models import Territory, populations_of


def conventions_of(cooperation: Cooperation, user) -> QuerySet[Convention]:
    """The conventions of a cooperation `user` may read, with their counts and latest year."""
    conventions = Convention.objects.filter(cooperation=cooperation)
    role = role_in(user, cooperation.pk)
    readable = [v for v in Visibility.values if can_read(user, visibility=v, role=role)]
    if not is_staff(user):
        finance = ConventionParty.objects.filter(finance_contact_id=user.pk or 0).values(
            "convention"
        )
        conventions = conventions.filter(visibility__in=readable) | conventions.filter(
            pk__in=finance
        )
    return conventions.annotate(
        party_count=Count("parties", distinct=True),
        item_count=Count("items", distinct=True),
        latest_year=Max("years__year"),
    ).order_by("title")


def parties_answered_by(user) -> QuerySet[ConventionParty]:
    """The parties whose finance contact `user` is, with their convention and its latest open
    year (`open_year`: None when every year is closed)."""
    open_years = AllocationYear.objects.filter(
        convention=OuterRef("convention"), status=YearStatus.OPEN
    ).order_by("-year")
    return (
        ConventionParty.objects.filter(finance_contact_id=user.pk or 0)
        .select_related("party__organisation", "convention__cooperation")
        .annotate(open_year=Subquery(open_years.values("year")[:1]))
        .order_by("convention__title", "party__organisation__name")
    )


def parties_of(convention: Convention) -> QuerySet[ConventionParty]:
    return convention.parties.select_related(
        "party__organisation__territory", "party__territory", "finance_contact"
    ).order_by("party__organisation__name")


def items_of(convention: Convention) -> QuerySet[SharedItem]:
    return convention.items.select_related("provider__party__organisation", "person").order_by(
        "name"
    )


def with_sharing(items: Iterable[SharedItem], convention: Convention) -> list[SharedItem]:
    """`items`, each with the ids and names of the parties sharing it (`sharing_ids`,
    `sharing_names`; empty: every party), read in one query of plain values."""
    items = list(items)
    ids: dict[int, list[int]] = defaultdict(list)
    names: dict[int, list[str]] = defaultdict(list)
    through = SharedItem.sharing_parties.through.objects.filter(
        shareditem__in=[item.pk for item in items]
    )
    rows = through.order_by("conventionparty__party__organisation__name").values_list(
        "shareditem_id", "conventionparty_id", "conventionparty__party__organisation__name"
    )
    for item_id, party_id, name in rows:
        ids[item_id].append(party_id)
        names[item_id].append(name)
    for item in items:
        item.convention = convention
        item.sharing_ids = ids.get(item.pk, [])  # type: ignore[attr-defined]
        item.sharing_names = names.get(item.pk, [])  # type: ignore[attr-defined]
    return items


def sharing_of(item: SharedItem) -> QuerySet[ConventionParty]:
    """The parties sharing `item`, as `parties_of` reads them."""
    parties = parties_of(item.convention)
    ids = item.sharing_parties.values_list("pk", flat=True)
    return parties.filter(pk__in=list(ids)) or parties


def years_of(convention: Convention) -> QuerySet[AllocationYear]:
    """Its years, newest first, with their total cost."""
    totals = (
        Cost.objects.filter(year=OuterRef("pk"))
        .values("year")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return convention.years.annotate(total=Coalesce(Subquery(totals), Decimal(0))).order_by("-year")


def year_inputs(year: AllocationYear) -> YearInputs:
    """Everything the year's figures are computed from, in nine queries whatever its size, read
    as plain values (a thousand declared uses are a thousand tuples, not model instances).
    While the year is open a party's population comes from the referential (the territory it
    stands for, else its organisation's); once closed, from what was frozen."""
    parties = list(
        year.convention.parties.order_by("party__organisation__name", "pk").values_list(
            "pk",
            "party__organisation__name",
            "party__territory",
            "party__organisation__territory",
        )
    )
    order = {pk: rank for rank, (pk, *_rest) in enumerate(parties)}
    sharing: dict[int, list[int]] = defaultdict(list)
    for item_id, party_id in SharedItem.sharing_parties.through.objects.filter(
        shareditem__convention=year.convention_id
    ).values_list("shareditem_id", "conventionparty_id"):
        sharing[item_id].append(party_id)
    items = {
        pk: ItemInput(
            id=pk,
            name=name,
            unit=unit,
            provider_id=provider_id,
            participants=sorted(sharing[pk], key=order.__getitem__) or list(order),
        )
        for pk, name, unit, provider_id in year.convention.items.order_by("name", "pk").values_list(
            "pk", "name", "unit", "provider_id"
        )
    }
    costs = year.costs.order_by("component", "pk").values_list(
        "item_id", "component", "source", "amount", "pk", "note"
    )
    for item_id, component, source, amount, pk, note in costs:
        items[item_id].costs.append(CostInput(component, source, amount, pk, note))
    for item_id, method, weight in year.key_terms.values_list("item_id", "method", "weight"):
        items[item_id].terms[method] = weight
    figures = year.key_figures.values_list("item_id", "method", "party_id", "value")
    for item_id, method, party_id, value in figures:
        items[item_id].figures.setdefault(method, {})[party_id] = value
    uses = year.uses.values_list("item_id", "party_id", "forecast", "actual")
    for item_id, party_id, forecast, actual in uses:
        items[item_id].forecast[party_id] = forecast
        items[item_id].actual[party_id] = actual
    populations: dict[int, int | None] = dict(
        year.populations.values_list("party_id", "inhabitants")
    )
    if year.is_open:
        territory_of = {
            pk: own or organisation
            for pk, _name, own, organisation in parties
            if pk not in populations
        }
        territories = Territory.objects.filter(pk__in=set(territory_of.values()) - {None})
        known = populations_of(territories.only("pk", "kind", "population"))
        for party_id, territory_id in territory_of.items():
            populations[party_id] = known.get(territory_id) if territory_id else None
    advances: dict[int, Decimal] = defaultdict(Decimal)
    for party_id, amount in year.advances.values_list("party_id", "amount"):
        advances[party_id] += amount
    return YearInputs(
        parties={pk: name for pk, name, *_rest in parties},
        items=list(items.values()),
        populations=populations,
        advances=dict(advances),
    )


def allocation_of(year: AllocationYear) -> Allocation:
    """The year's distribution for the pages and the API, kept in the cache until the data
    changes (core.figures); the services compute it afresh (`allocate(year_inputs(year))`)."""
    return cached_figures(
        f"mutualisation:allocation:{year.pk}:{get_language()}",
        lambda: allocate(year_inputs(year)),
        lambda _allocation: None,
    )


def issued_statements(year: AllocationYear, parties=None) -> QuerySet[Statement]:
    """The statements of the year's latest closing (of `parties` only, when given)."""
    statements = year.statements.filter(version=year.version).select_related(
        "party__party__organisation"
    )
    if parties is not None:
        statements = statements.filter(party__in=parties)
    return statements.order_by("party__party__organisation__name")


def statement_versions(year: AllocationYear, party: ConventionParty) -> QuerySet[Statement]:
    return year.statements.filter(party=party).order_by("-version")


@dataclass
class TableRow:
    party_id: int
    name: str
    amounts: list[Decimal | None]  # per item; None: the party does not share it
    share: Decimal
    due: Decimal
    advances: Decimal
    balance: Decimal
    complete: bool


@dataclass
class AllocationTable:
    """A year's allocation: a row per party, a column per item, totals that add up."""

    items: list[ItemInput]
    rows: list[TableRow]
    item_totals: list[Decimal]
    total: Decimal


def allocation_table(allocation: Allocation) -> AllocationTable:
    items = allocation.inputs.items
    rows = []
    for statement in allocation.statements:
        by_item = {line.item.id: line.amount for line in statement.lines}
        rows.append(
            TableRow(
                party_id=statement.party_id,
                name=statement.name,
                amounts=[by_item.get(item.id) for item in items],
                share=statement.share,
                due=statement.due,
                advances=statement.advances,
                balance=statement.balance,
                complete=statement.complete,
            )
        )
    return AllocationTable(
        items=items,
        rows=rows,
        item_totals=[item.total for item in items],
        total=allocation.total,
    )
