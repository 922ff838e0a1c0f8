"""Two coordinators closing the same year at the same moment: the year's row is locked, so
exactly one issues the statements and the other is told the year is closed."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from maillage.core.exceptions import Conflict
from maillage.mutualisation import services
from maillage.mutualisation.models import AllocationYear, Statement
from maillage.mutualisation.services import DeclaredUnits
from maillage.mutualisation.tests.factories import convention_between, item_costing


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closings_at_once_issue_one_version(cooperation):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real concurrent connections (PostgreSQL)")
    convention, (agglo, a, b) = convention_between(
        cooperation, {"Agglo": None, "Commune A": 3000, "Commune B": 1000}
    )
    year = services.year_open(actor=None, convention=convention, year=2024)
    item = item_costing(year, agglo, "Instruction ADS", staff="1000.00")
    item.sharing_parties.set([a, b])
    services.key_set(actor=None, year=year, item=item, terms={"population": 50, "use": 50})
    for party in (a, b):
        services.uses_declare(
            actor=None, year=year, party=party, uses={item: DeclaredUnits(actual=Decimal(1))}
        )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def close() -> None:
        from django.db import connections

        try:
            mine = AllocationYear.objects.select_related("convention").get(pk=year.pk)
            barrier.wait()
            services.year_close(actor=None, year=mine)
            outcomes.append("closed")
        except Conflict as refusal:  # the reason, so that another refusal cannot pass
            outcomes.append("already closed" if "est clos" in str(refusal) else str(refusal))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already closed", "closed"]
    year.refresh_from_db()
    assert year.version == 1
    assert Statement.objects.filter(year=year).count() == 3
