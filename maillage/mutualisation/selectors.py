"""Reads of conventions and of their years, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from maillage.accounts.selectors import role_in
from maillage.cooperations.models import Cooperation
from maillage.core.enums import Visibility
from maillage.core.permissions import can_read, is_staff
from maillage.mutualisation.allocation import (
    Allocation,
    CostInput,
    ItemInput,
    YearInputs,
    allocate,
)
from maillage.mutualisation.enums import KeyMethod
from maillage.mutualisation.models import (
    AllocationYear,
    Convention,
    ConventionParty,
    Cost,
    SharedItem,
    Statement,
)
from maillage.territories.models import populations_of


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


def parties_of(convention: Convention) -> QuerySet[ConventionParty]:
    return convention.parties.select_related(
        "party__organisation__territory", "party__territory", "finance_contact"
    ).order_by("party__organisation__name")


def items_of(convention: Convention) -> QuerySet[SharedItem]:
    return (
        convention.items.select_related("provider__party__organisation")
        .prefetch_related("sharing_parties__party__organisation")
        .order_by("name")
    )


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
    """Everything the year's figures are computed from, in nine queries whatever its size.
    While the year is open a party's population comes from the referential (the territory it
    stands for, else its organisation's); once closed, from what was frozen."""
    parties = list(
        year.convention.parties.select_related(
            "party__organisation", "party__territory", "party__organisation__territory"
        ).order_by("party__organisation__name", "pk")
    )
    order = {party.pk: rank for rank, party in enumerate(parties)}
    items = {
        item.pk: ItemInput(
            id=item.pk,
            name=item.name,
            unit=item.unit,
            provider_id=item.provider_id,
            participants=sorted((p.pk for p in item.sharing_parties.all()), key=order.__getitem__)
            or list(order),
        )
        for item in year.convention.items.prefetch_related("sharing_parties").order_by("name", "pk")
    }
    for cost in year.costs.order_by("component", "pk"):
        items[cost.item_id].costs.append(CostInput(cost.component, cost.source, cost.amount))
    for term in year.key_terms.all():
        items[term.item_id].terms[term.method] = term.weight
    for figure in year.key_figures.all():
        items[figure.item_id].figures.setdefault(figure.method, {})[figure.party_id] = figure.value
    for use in year.uses.all():
        items[use.item_id].forecast[use.party_id] = use.forecast
        items[use.item_id].actual[use.party_id] = use.actual
    frozen = {p.party_id: p.inhabitants for p in year.populations.all()}
    populations: dict[int, int | None] = dict(frozen)
    if year.is_open:
        territories = {
            party.pk: party.party.territory or party.party.organisation.territory
            for party in parties
            if party.pk not in frozen
        }
        known = populations_of(t for t in territories.values() if t is not None)
        for party_id, territory in territories.items():
            populations[party_id] = known.get(territory.pk) if territory else None
    advances: dict[int, Decimal] = defaultdict(Decimal)
    for party_id, amount in year.advances.values_list("party_id", "amount"):
        advances[party_id] += amount
    return YearInputs(
        parties={party.pk: str(party.party.organisation.name) for party in parties},
        items=list(items.values()),
        populations=populations,
        advances=dict(advances),
    )


def allocation_of(year: AllocationYear) -> Allocation:
    return allocate(year_inputs(year))


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
            )
        )
    return AllocationTable(
        items=items,
        rows=rows,
        item_totals=[item.total for item in items],
        total=allocation.total,
    )


@dataclass
class ItemKey:
    item: SharedItem
    terms: list[tuple[str, Decimal]]  # (method's label, weight)


def keys_of(year: AllocationYear) -> list[ItemKey]:
    """Each item of the convention with its key for `year` (terms empty: none yet)."""
    terms: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for term in year.key_terms.order_by("-weight", "method"):
        terms[term.item_id].append((str(KeyMethod(term.method).label), term.weight))
    return [ItemKey(item, terms[item.pk]) for item in items_of(year.convention)]
