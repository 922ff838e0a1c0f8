import pytest

from maillage.mutualisation import services
from maillage.mutualisation.tests.factories import convention_between, item_costing


@pytest.fixture
def ads(cooperation):
    """An agglomeration's building-permit service shared with two communes by files instructed
    (half) and population (half): (convention, its open 2024, the item, (agglo, a, b))."""
    convention, (agglo, a, b) = convention_between(
        cooperation, {"Agglo": None, "Commune A": 3000, "Commune B": 1000}
    )
    year = services.year_open(actor=None, convention=convention, year=2024)
    item = item_costing(year, agglo, "Instruction ADS", staff="7000.00", supplies="1000.01")
    item.sharing_parties.set([a, b])
    services.key_set(actor=None, year=year, item=item, terms={"population": 50, "use": 50})
    return convention, year, item, (agglo, a, b)
