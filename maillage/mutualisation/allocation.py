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

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from django.utils.translation import gettext as _

from maillage.mutualisation.enums import KeyMethod, Scenario

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CostInput:
    component: str
    source: str
    amount: Decimal


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
class ItemShare:
    """A party's part of one item."""

    item: ItemInput
    party_id: int
    share: Fraction
    components: list[tuple[CostInput, Decimal]]
    forecast_amount: Decimal | None
    units_forecast: Decimal | None
    units_actual: Decimal | None
    computed: bool = True  # False: its actual distribution cannot be computed yet (at zero)

    @property
    def amount(self) -> Decimal:
        return sum((amount for _cost, amount in self.components), ZERO)

    @property
    def charged(self) -> bool:
        """Owed to another party (the provider bears its own share)."""
        return self.item.provider_id != self.party_id


@dataclass
class PartyStatement:
    party_id: int
    name: str
    lines: list[ItemShare]
    advances: Decimal

    @property
    def share(self) -> Decimal:
        """Its part of the whole cost, its own items included."""
        return sum((line.amount for line in self.lines), ZERO)

    @property
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
                "share": str(round(Decimal(line.share.numerator) / line.share.denominator, 8)),
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


def split_cents(amount: Decimal, shares: list[tuple[int, Fraction]]) -> dict[int, Decimal]:
    """`amount` split by `shares` (which add up to 1) to the cent, by the largest remainder:
    the parts add up to `amount` exactly."""
    cents = int(amount.quantize(CENT) * 100)
    exact = [(party, cents * share) for party, share in shares]
    parts = {party: floor(value) for party, value in exact}
    left = cents - sum(parts.values())
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - parts[exact[i][0]]), i))
    for i in by_remainder[:left]:
        parts[exact[i][0]] += 1
    return {party: Decimal(value).scaleb(-2) for party, value in parts.items()}


def _figures(
    item: ItemInput, method: str, inputs: YearInputs, scenario: str
) -> dict[int, Decimal | None]:
    if method == KeyMethod.USE:
        uses = item.actual if scenario == Scenario.ACTUAL else item.forecast
        return {party: uses.get(party) for party in item.participants}
    if method == KeyMethod.POPULATION:
        return {
            party: None
            if inputs.populations.get(party) is None
            else Decimal(inputs.populations[party] or 0)
            for party in item.participants
        }
    entered = item.figures.get(method, {})
    return {party: entered.get(party, Decimal(0)) for party in item.participants}


def item_shares(
    item: ItemInput, inputs: YearInputs, scenario: str
) -> tuple[dict[int, Fraction] | None, list[str]]:
    """Each participant's share of `item` (None when it cannot be computed), and why not."""
    problems: list[str] = []
    name = item.name
    if not item.terms:
        return None, [_("« %(item)s » n’a pas de clé de répartition.") % {"item": name}]
    if sum(item.terms.values()) != 100:
        return None, [
            _("La clé de « %(item)s » ne couvre pas 100 %% (%(total)s %%).")
            % {"item": name, "total": sum(item.terms.values())}
        ]
    shares: dict[int, Fraction] = defaultdict(Fraction)
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
        known = {party: Fraction(value) for party, value in figures.items() if value is not None}
        total = sum(known.values(), Fraction(0))
        if total == 0:
            problems.append(
                _("« %(item)s » : la clé « %(method)s » ne donne rien à répartir (total nul).")
                % {"item": name, "method": KeyMethod(method).label}
            )
            continue
        for party, value in known.items():
            shares[party] += Fraction(weight) / 100 * value / total
    if problems:
        return None, problems
    return {party: shares[party] for party in item.participants}, []


def allocate(inputs: YearInputs) -> Allocation:
    """The year's statements on the declared uses, with the forecast beside them; `problems`
    says what keeps the year from being closed (the figures concerned are left at zero)."""
    lines: dict[int, list[ItemShare]] = {party: [] for party in inputs.parties}
    problems: list[str] = []
    for item in inputs.items:
        actual, item_problems = item_shares(item, inputs, Scenario.ACTUAL)
        problems += item_problems
        forecast, _unused = item_shares(item, inputs, Scenario.FORECAST)
        if actual is None:  # nothing distributed until it can be (the problems say why)
            shares = {party: Fraction(0) for party in item.participants}
            parts = [dict.fromkeys(item.participants, ZERO) for _cost in item.costs]
        else:
            shares = actual
            parts = [split_cents(cost.amount, list(actual.items())) for cost in item.costs]
        forecast_parts: dict[int, Decimal] = {}
        if forecast is not None:
            forecast_parts = {party: Decimal(0) for party in item.participants}
            for cost in item.costs:
                for party, amount in split_cents(cost.amount, list(forecast.items())).items():
                    forecast_parts[party] += amount
        for party in item.participants:
            lines[party].append(
                ItemShare(
                    item=item,
                    party_id=party,
                    share=shares[party],
                    computed=actual is not None,
                    components=[
                        (cost, part[party]) for cost, part in zip(item.costs, parts, strict=True)
                    ],
                    forecast_amount=forecast_parts.get(party),
                    units_forecast=item.forecast.get(party),
                    units_actual=item.actual.get(party),
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
