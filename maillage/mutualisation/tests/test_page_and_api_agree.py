"""The same statement is read on the year's page (the allocation table), on a party's statement
page and in the API: before closing (computed) and after (issued), they give the same figures."""

from decimal import Decimal

import pytest
from django.test import Client

from maillage.core.templatetags.amounts import cents
from maillage.mutualisation import services
from maillage.mutualisation.services import DeclaredUnits
from maillage.mutualisation.tests.factories import convention_between, item_costing

pytestmark = pytest.mark.django_db


def test_the_page_and_the_api_give_the_same_statements(cooperation, claire):
    convention, (agglo, a, b, c) = convention_between(
        cooperation, {"Agglo": 50000, "Commune A": 3001, "Commune B": 997, "Commune C": 12}
    )
    year = services.year_open(actor=None, convention=convention, year=2025)
    service = item_costing(year, agglo, "Instruction ADS", staff="70000.01", supplies="999.99")
    vehicle = item_costing(year, a, "Véhicule", renewal="4000", contracts="333.33")
    services.key_set(actor=None, year=year, item=service, terms={"population": 40, "use": 60})
    services.key_set(
        actor=None,
        year=year,
        item=vehicle,
        terms={"fixed": 100},
        figures={"fixed": {agglo: 10, a: 45, b: 30, c: 15}},
    )
    for party, units in ((agglo, 0), (a, 7), (b, 11), (c, 1)):
        services.uses_declare(
            actor=None,
            year=year,
            party=party,
            uses={service: DeclaredUnits(Decimal(2), Decimal(units))},
        )
    services.advance_add(
        actor=None, year=year, party=b, amount=Decimal("5000"), paid_on="2025-06-30"
    )
    client = Client()
    client.force_login(claire)
    api = f"/api/v1/conventions/{convention.pk}/years/2025/statements"
    for closed in (False, True):
        if closed:
            services.year_close(actor=claire, year=year)
        statements = client.get(api).json()["items"]
        assert sum(Decimal(s["share"]) for s in statements) == Decimal("75333.33")
        year_page = client.get(year.get_absolute_url()).content.decode()
        for statement in statements:
            page = client.get(
                f"{year.get_absolute_url()}decomptes/{statement['party_id']}/"
            ).content.decode()
            for figure in ("share", "due", "advances"):
                written = cents(Decimal(statement[figure]))
                assert written in page, (closed, statement["organisation"], figure)
                assert written in year_page, (closed, statement["organisation"], figure)
