"""How a year's shared costs are distributed among the parties: pure arithmetic on the year's
inputs (selectors.year_inputs reads them), so that a page, the API, the statements issued at
closing and the benchmark compute the same figures the same way.

The rules, stated once:

- An item's key is a weighted mix of terms (use, population, FTE, area, fixed shares) whose
  weights add up to 100 %. A party's share of a term is its figure over the sum of the figures
  of the parties sharing the item; its share of the item is the weighted sum of its terms'
  shares. Shares are exact fractions: nothing is rounded before the end.
- Each cost component of an item is split among the parties by these shares and rounded to the
  cent by the largest-remainder method: every party gets its share rounded down, and the cents
  left go one each to the largest remainders (equal remainders: in the parties' order). So the
  parts of every component add up to it exactly, and so do the items and the parties' totals:
  the statements add up to the total cost to the cent.
- A party owes what its share of the items others provide comes to; its share of the items it
  provides stays at its own charge. The balance is what it owes less the advances it paid.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from maillage.mutualisation.enums import ComponentKind, CostSource, KeyMethod, Scenario

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CostInput:
    component: str
    source: str
    amount: Decimal
    id: int = 0  # the stored cost's (for its page's links)
    note: str = ""

    @property
    def component_label(self) -> str:
        return str(ComponentKind(self.component).label)

    @property
    def source_label(self) -> str:
        return str(CostSource(self.source).label)


@dataclass
class ItemInput:
    id: int
    name: str
    unit: str
    provider_id: int
    participants: list[int]  # the ids of the parties sharing it, in the parties' order
    costs: list[CostInput] = field(default_factory=list)
    terms: dict[str, Decimal] = field(default_factory=dict)  # method → weight (%)
    figures: dict[str, dict[int, Decimal]] = field(default_factory=dict)  # entered methods
    forecast: dict[int, Decimal | None] = field(default_factory=dict)  # party → units
    actual: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((cost.amount for cost in self.costs), Decimal(0))

    @property
    def key_shown(self) -> list[tuple[str, Decimal]]:
        """Its key's terms as read: (the method's label, its weight), the heaviest first."""
        terms = sorted(self.terms.items(), key=lambda term: (-term[1], term[0]))
        return [(str(KeyMethod(method).label), weight) for method, weight in terms]


@dataclass
class YearInputs:
    parties: dict[int, str]  # id → name, in display order
    items: list[ItemInput]
    populations: dict[int, int | None]
    advances: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal(0))


@dataclass
class ItemDistribution:
    """How one item is distributed: on the declared uses, and (computed when first read: the
    allocation table does not show it) on the forecast ones."""

    item: ItemInput
    inputs: "YearInputs"
    actual: "Shares | None"  # None: cannot be computed yet (the problems say why)

    @cached_property
    def forecast_parts(self) -> dict[int, Decimal]:
        forecast, _problems = item_shares(self.item, self.inputs, Scenario.FORECAST)
        if forecast is None:
            return {}
        parts = dict.fromkeys(self.item.participants, ZERO)
        for cost in self.item.costs:
            for party, amount in split_cents(cost.amount, forecast).items():
                parts[party] += amount
        return parts


@dataclass
class ItemShare:
    """A party's part of one item."""

    distribution: ItemDistribution
    party_id: int
    cents: list[int]  # its part of each of the item's costs, in cents, in their order

    @property
    def item(self) -> ItemInput:
        return self.distribution.item

    @property
    def computed(self) -> bool:
        """False: its actual distribution cannot be computed yet (left at zero)."""
        return self.distribution.actual is not None

    @cached_property
    def share(self) -> Decimal:
        """Its share of the item, for reading (to 8 decimals)."""
        actual = self.distribution.actual
        return actual.of(self.party_id) if actual is not None else ZERO

    @property
    def forecast_amount(self) -> Decimal | None:
        return self.distribution.forecast_parts.get(self.party_id)

    @property
    def units_forecast(self) -> Decimal | None:
        return self.item.forecast.get(self.party_id)

    @property
    def units_actual(self) -> Decimal | None:
        return self.item.actual.get(self.party_id)

    @cached_property
    def amount(self) -> Decimal:
        return Decimal(sum(self.cents)).scaleb(-2)

    @property
    def components(self) -> list[tuple[CostInput, Decimal]]:
        """Each cost component of the item with this party's part of it."""
        return [
            (cost, Decimal(cents).scaleb(-2))
            for cost, cents in zip(self.item.costs, self.cents, strict=True)
        ]

    @property
    def charged(self) -> bool:
        """Owed to another party (the provider bears its own share)."""
        return self.item.provider_id != self.party_id


# The figures of a statement, as computed (`PartyStatement`) and as issued (`Statement`).
STATEMENT_FIGURES = ("share", "due", "forecast_due", "advances", "balance")


@dataclass
class PartyStatement:
    party_id: int
    name: str
    lines: list[ItemShare]
    advances: Decimal

    @cached_property
    def share(self) -> Decimal:
        """Its part of the whole cost, its own items included."""
        return sum((line.amount for line in self.lines), ZERO)

    @cached_property
    def due(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.charged), ZERO)

    @property
    def forecast_due(self) -> Decimal:
        return sum((line.forecast_amount or ZERO for line in self.lines if line.charged), ZERO)

    @property
    def balance(self) -> Decimal:
        """Positive: to invoice (or deduct); negative: to refund."""
        return self.due - self.advances

    @property
    def complete(self) -> bool:
        """Every item it shares is distributed (an issued statement always is)."""
        return all(line.computed for line in self.lines)

    def lines_data(self) -> list[dict[str, Any]]:
        """The detail as an issued statement stores it (and the API and the pages show it):
        amounts as text, to the cent."""

        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return [
            {
                "item_id": line.item.id,
                "item": line.item.name,
                "unit": line.item.unit,
                "provider_id": line.item.provider_id,
                "charged": line.charged,
                "computed": line.computed,
                "share": str(line.share),
                "units_forecast": text(line.units_forecast),
                "units_actual": text(line.units_actual),
                "forecast_amount": text(line.forecast_amount),
                "amount": str(line.amount),
                "components": [
                    {"component": cost.component, "source": cost.source, "amount": str(amount)}
                    for cost, amount in line.components
                ],
            }
            for line in self.lines
        ]


@dataclass
class Allocation:
    inputs: YearInputs
    statements: list[PartyStatement]
    problems: list[str]

    @property
    def total(self) -> Decimal:
        return self.inputs.total

    def statement_of(self, party_id: int) -> PartyStatement:
        return next(s for s in self.statements if s.party_id == party_id)


@dataclass(frozen=True)
class Shares:
    """Exact shares as integers over one denominator (each party's share is its numerator
    over it; they add up to 1): exact like fractions, at the speed of integers."""

    numerators: dict[int, int]  # party → numerator, in the parties' order
    denominator: int

    def of(self, party: int) -> Decimal:
        """A party's share as a decimal, for reading (the amounts use the exact share)."""
        return (Decimal(self.numerators[party]) / self.denominator).quantize(Decimal("1e-8"))


def _cents(amount: Decimal) -> int:
    return int(amount.quantize(CENT) * 100)


def _split(cents: int, shares: Shares) -> list[int]:
    """`cents` split by `shares`, in the order of its parties (see `split_cents`)."""
    denominator = shares.denominator
    exact = [cents * numerator for numerator in shares.numerators.values()]
    parts = [value // denominator for value in exact]
    left = cents - sum(parts)
    if left:
        by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] % denominator), i))
        for i in by_remainder[:left]:
            parts[i] += 1
    return parts


def split_cents(amount: Decimal, shares: Shares) -> dict[int, Decimal]:
    """`amount` split by `shares` to the cent, by the largest remainder: every party gets its
    exact part rounded down, the cents left go one each to the largest remainders (equal
    remainders: in the parties' order). The parts add up to `amount` exactly."""
    parts = _split(_cents(amount), shares)
    return {
        party: Decimal(part).scaleb(-2)
        for party, part in zip(shares.numerators, parts, strict=True)
    }


# Figures and weights become integers at this scale (figures have at most 4 decimals, weights 2).
SCALE = 10_000


def _scaled(value: Decimal | int) -> int:
    return int((Decimal(value) * SCALE).to_integral_value())


def _figures(
    item: ItemInput, method: str, inputs: YearInputs, scenario: str
) -> dict[int, Decimal | int | None]:
    if method == KeyMethod.USE:
        uses = item.actual if scenario == Scenario.ACTUAL else item.forecast
        return {party: uses.get(party) for party in item.participants}
    if method == KeyMethod.POPULATION:
        return {party: inputs.populations.get(party) for party in item.participants}
    entered = item.figures.get(method, {})
    return {party: entered.get(party, Decimal(0)) for party in item.participants}


def item_shares(
    item: ItemInput, inputs: YearInputs, scenario: str
) -> tuple[Shares | None, list[str]]:
    """Each participant's share of `item` (None when it cannot be computed), and why not.

    A term of weight w (in %) gives a party w/100 × its figure / the figures' total; over a
    common denominator (the product of the terms' totals) every share is an integer."""
    problems: list[str] = []
    name = item.name
    if not item.terms:
        return None, [_("« %(item)s » n’a pas de clé de répartition.") % {"item": name}]
    if sum(item.terms.values()) != 100:
        return None, [
            _("La clé de « %(item)s » ne couvre pas 100 %% (%(total)s %%).")
            % {"item": name, "total": sum(item.terms.values())}
        ]
    terms: list[tuple[int, dict[int, int], int]] = []  # (weight, figures, their total)
    for method, weight in item.terms.items():
        figures = _figures(item, method, inputs, scenario)
        missing = [inputs.parties[p] for p, value in figures.items() if value is None]
        if missing:
            message = (
                _("« %(item)s » : usage non déclaré par %(parties)s.")
                if method == KeyMethod.USE
                else _("« %(item)s » : population inconnue pour %(parties)s.")
            )
            problems.append(message % {"item": name, "parties": ", ".join(missing)})
            continue
        scaled = {party: _scaled(value) for party, value in figures.items() if value is not None}
        total = sum(scaled.values())
        if total == 0:
            problems.append(
                _("« %(item)s » : la clé « %(method)s » ne donne rien à répartir (total nul).")
                % {"item": name, "method": KeyMethod(method).label}
            )
            continue
        terms.append((_scaled(weight), scaled, total))
    if problems:
        return None, problems
    product = 1
    for _weight, _figures_of, term_total in terms:
        product *= term_total
    numerators = dict.fromkeys(item.participants, 0)
    for term_weight, figures_of, term_total in terms:
        factor = term_weight * (product // term_total)
        for party, value in figures_of.items():
            numerators[party] += factor * value
    return Shares(numerators, 100 * SCALE * product), []


def allocate(inputs: YearInputs) -> Allocation:
    """The year's statements on the declared uses, with the forecast beside them; `problems`
    says what keeps the year from being closed (the figures concerned are left at zero)."""
    lines: dict[int, list[ItemShare]] = {party: [] for party in inputs.parties}
    problems: list[str] = []
    for item in inputs.items:
        actual, item_problems = item_shares(item, inputs, Scenario.ACTUAL)
        problems += item_problems
        if actual is None:  # nothing distributed until it can be (the problems say why)
            parts = [[0] * len(item.participants) for _cost in item.costs]
        else:  # the shares' parties are the participants, in their order
            parts = [_split(_cents(cost.amount), actual) for cost in item.costs]
        distribution = ItemDistribution(item, inputs, actual)
        for index, party in enumerate(item.participants):
            lines[party].append(
                ItemShare(
                    distribution=distribution,
                    party_id=party,
                    cents=[part[index] for part in parts],
                )
            )
    statements = [
        PartyStatement(
            party_id=party,
            name=name,
            lines=lines[party],
            advances=inputs.advances.get(party, Decimal(0)),
        )
        for party, name in inputs.parties.items()
    ]
    return Allocation(inputs=inputs, statements=statements, problems=problems)
