"""The distribution's arithmetic (allocation.py), on inputs built by hand."""

import random
from decimal import Decimal
from fractions import Fraction

from maillage.mutualisation.allocation import (
    CostInput,
    ItemInput,
    Shares,
    YearInputs,
    allocate,
    item_shares,
    split_cents,
)


def test_the_cents_left_go_to_the_largest_remainders_and_the_parts_add_up():
    thirds = Shares({1: 1, 2: 1, 3: 1}, 3)
    assert split_cents(Decimal("100.00"), thirds) == {
        1: Decimal("33.34"),  # equal remainders: in the parties' order
        2: Decimal("33.33"),
        3: Decimal("33.33"),
    }
    parts = split_cents(Decimal("10.00"), Shares({1: 1, 2: 5}, 6))
    assert parts == {1: Decimal("1.67"), 2: Decimal("8.33")}
    assert split_cents(Decimal("0.02"), Shares({1: 1, 2: 1, 3: 1}, 3)) == {
        1: Decimal("0.01"),
        2: Decimal("0.01"),
        3: Decimal("0.00"),
    }


def test_integer_shares_are_the_exact_fractions():
    """The shares, integers over one denominator, are the fractions the rule defines."""
    item = _service(
        participants=[1, 2, 3],
        terms={"population": Decimal("33.33"), "use": Decimal("66.67")},
        actual={1: Decimal("0.5"), 2: Decimal("1.25"), 3: Decimal(7)},
    )
    shares, problems = item_shares(item, _inputs(item, populations={1: 7, 2: 3000, 3: 1}), "actual")
    assert problems == [] and shares is not None
    uses = {1: Fraction(1, 2), 2: Fraction(5, 4), 3: Fraction(7)}
    people = {1: 7, 2: 3000, 3: 1}
    for party in (1, 2, 3):
        expected = Fraction("0.3333") * Fraction(people[party], 3008) + Fraction("0.6667") * (
            uses[party] / sum(uses.values())
        )
        assert Fraction(shares.numerators[party], shares.denominator) == expected


def _inputs(*items: ItemInput, populations=None, advances=None) -> YearInputs:
    return YearInputs(
        parties={1: "Agglo", 2: "Commune A", 3: "Commune B"},
        items=list(items),
        populations=populations or {1: 0, 2: 3000, 3: 1000},
        advances=advances or {},
    )


def _service(**fields) -> ItemInput:
    fields.setdefault("participants", [1, 2, 3])
    return ItemInput(
        id=fields.pop("id", 1),
        name=fields.pop("name", "Instruction ADS"),
        unit="files",
        provider_id=1,
        **fields,
    )


def test_a_mix_of_keys_weights_each_partys_shares():
    """50 % population, 50 % declared use: Commune A has 3/4 of the population and 1/4 of the
    files, so 1/2 of the cost."""
    item = _service(
        participants=[2, 3],
        costs=[CostInput("staff", "accounts", Decimal("8000.00"))],
        terms={"population": Decimal(50), "use": Decimal(50)},
        actual={2: Decimal(10), 3: Decimal(30)},
        forecast={2: Decimal(20), 3: Decimal(20)},
    )
    allocation = allocate(_inputs(item))
    assert allocation.problems == []
    a, b = allocation.statement_of(2), allocation.statement_of(3)
    assert (a.due, b.due) == (Decimal("4000.00"), Decimal("4000.00"))
    # On the forecast (equal uses): 3/8 + 1/4 = 5/8 for A.
    assert (a.forecast_due, b.forecast_due) == (Decimal("5000.00"), Decimal("3000.00"))


def test_the_provider_bears_its_own_share_and_advances_come_off_the_balance():
    item = _service(
        costs=[CostInput("staff", "accounts", Decimal("900.00"))],
        terms={"fixed": Decimal(100)},
        figures={"fixed": {1: Decimal(50), 2: Decimal(25), 3: Decimal(25)}},
    )
    allocation = allocate(_inputs(item, advances={2: Decimal("300.00")}))
    agglo, a = allocation.statement_of(1), allocation.statement_of(2)
    assert (agglo.share, agglo.due) == (Decimal("450.00"), Decimal(0))
    assert (a.due, a.advances, a.balance) == (
        Decimal("225.00"),
        Decimal("300.00"),
        Decimal("-75.00"),
    )


def test_what_cannot_be_computed_is_said_item_by_item():
    no_key = _service(id=1, name="Sans clé", costs=[CostInput("staff", "accounts", Decimal(1))])
    undeclared = _service(
        id=2,
        name="Usage",
        terms={"use": Decimal(100)},
        actual={1: Decimal(1), 2: None},
    )
    nothing = _service(id=3, name="Vide", terms={"area": Decimal(100)}, figures={"area": {}})
    unknown_population = _service(id=4, name="Habitants", terms={"population": Decimal(100)})
    problems = allocate(
        _inputs(no_key, undeclared, nothing, unknown_population, populations={1: 5, 2: None})
    ).problems
    assert problems == [
        "« Sans clé » n’a pas de clé de répartition.",
        "« Usage » : usage non déclaré par Commune A, Commune B.",
        "« Vide » : la clé « Surface » ne donne rien à répartir (total nul).",
        "« Habitants » : population inconnue pour Commune A, Commune B.",
    ]


def test_the_statements_add_up_to_the_total_cost_to_the_cent_whatever_the_figures():
    draw = random.Random(20261201)  # noqa: S311 - figures, not secrets
    for _round in range(200):
        parties = list(range(1, draw.randint(2, 40)))
        actual: dict[int, Decimal | None] = {
            p: Decimal(draw.randint(0, 500)).scaleb(-1) for p in parties
        }
        actual[parties[-1]] = Decimal(1)  # never all nought
        items = [
            ItemInput(
                id=n,
                name=f"Élément {n}",
                unit="hours",
                provider_id=draw.choice(parties),
                participants=parties,
                costs=[
                    CostInput(c, "accounts", Decimal(draw.randint(0, 10**8)).scaleb(-2))
                    for c in ("staff", "supplies", "renewal")
                ],
                terms={"use": Decimal("33.33"), "population": Decimal("66.67")},
                actual=actual,
            )
            for n in range(draw.randint(1, 6))
        ]
        inputs = YearInputs(
            parties={p: f"Partie {p}" for p in parties},
            items=items,
            populations={p: draw.randint(1, 100000) for p in parties},
            advances={},
        )
        allocation = allocate(inputs)
        assert allocation.problems == []
        assert sum(s.share for s in allocation.statements) == inputs.total
        for item in items:
            for index, cost in enumerate(item.costs):
                parts = [
                    line.components[index][1]
                    for s in allocation.statements
                    for line in s.lines
                    if line.item is item
                ]
                assert sum(parts) == cost.amount


def test_an_item_not_computable_yet_is_left_at_zero_and_its_statements_say_so():
    item = _service(
        costs=[CostInput("staff", "accounts", Decimal("100.00"))],
        terms={"use": Decimal(100)},
        actual={1: Decimal(1)},
        forecast={1: Decimal(1), 2: Decimal(1), 3: Decimal(2)},
    )
    allocation = allocate(_inputs(item))
    assert [s.share for s in allocation.statements] == [Decimal("0.00")] * 3
    assert not any(s.complete for s in allocation.statements)
    assert [s.forecast_due for s in allocation.statements] == [
        Decimal("0.00"),  # the provider's own
        Decimal("25.00"),
        Decimal("50.00"),
    ]
