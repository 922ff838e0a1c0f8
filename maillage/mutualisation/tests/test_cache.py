"""A year's distribution comes from the cache (core.figures) until a write to the data it
reads commits: a declared use changes the open year's statements at once."""

from decimal import Decimal

import pytest

from maillage.mutualisation import selectors, services
from maillage.mutualisation.services import DeclaredUnits
from maillage.mutualisation.tests.factories import convention_between, item_costing

# Real commits: the figures go stale when a write commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_distribution_is_cached_until_a_use_is_declared(
    figures_cache, cooperation, django_assert_max_num_queries
):
    convention, (agglo, a, b) = convention_between(
        cooperation, {"Agglo": None, "Commune A": 3000, "Commune B": 1000}
    )
    year = services.year_open(actor=None, convention=convention, year=2024)
    item = item_costing(year, agglo, "Instruction ADS", staff="1000.00")
    item.sharing_parties.set([a, b])
    services.key_set(actor=None, year=year, item=item, terms={"use": 100})
    for party, units in ((a, 1), (b, 1)):
        services.uses_declare(
            actor=None, year=year, party=party, uses={item: DeclaredUnits(actual=Decimal(units))}
        )
    assert selectors.allocation_of(year).statement_of(a.pk).due == Decimal("500.00")
    with django_assert_max_num_queries(0):
        assert selectors.allocation_of(year).statement_of(a.pk).due == Decimal("500.00")
    services.uses_declare(
        actor=None, year=year, party=b, uses={item: DeclaredUnits(actual=Decimal(3))}
    )
    assert selectors.allocation_of(year).statement_of(a.pk).due == Decimal("250.00")
