"""Benchmark: the yearly statements of a service commun shared by an EPCI with its communes.

    python bench/mutualisation.py --database sqlite|postgres [--communes 100] [--services 10]
                                  [--years 10]

Builds an EPCI of N communes sharing S services (each with four cost components and a key of
50 % declared use, 50 % population) over Y years, the last one open and the others closed.
Prints, in the same run:
- the number of queries of computing a year's statements, of the year's page (the allocation
  table and its chart), of a statement's page and of the convention's page, for a small
  convention (a tenth of the communes, one year) and the big one: they must be equal;
- the median time of computing a year's statements (`selectors.allocation_of`) and of the
  allocation page, each next to a floor timed in turn: raw SQL computing every party's amount
  of every cost component with the same key (without the largest-remainder cents), and their
  ratio (goal: within 2×);
- the allocation page served with the year's distribution from the cache (core.figures:
  nothing changed since the last request), the everyday case;
- closing a year (statements issued) once.
"""

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set
from portfolio import median_seconds, paired_medians  # noqa: E402

# Every party's amount of every cost component of the year: shares of use and of population
# weighted by the key's terms, times each component; what the statements cannot be faster than.
FLOOR = """
WITH base AS (
  SELECT u.item_id, u.party_id, u.actual AS units, t.population AS inhabitants
  FROM mutualisation_declareduse u
  JOIN mutualisation_conventionparty cp ON cp.id = u.party_id
  JOIN cooperations_party p ON p.id = cp.party_id
  JOIN directory_organisation o ON o.id = p.organisation_id
  JOIN territories_territory t ON t.id = o.territory_id
  WHERE u.year_id = %(year)s
), totals AS (
  SELECT item_id, party_id, units, inhabitants,
         SUM(units) OVER (PARTITION BY item_id) AS all_units,
         SUM(inhabitants) OVER (PARTITION BY item_id) AS all_inhabitants
  FROM base
), shares AS (
  SELECT totals.item_id, totals.party_id,
         COALESCE(wu.weight, 0) * 1.0 * totals.units / totals.all_units / 100
         + COALESCE(wp.weight, 0) * 1.0 * totals.inhabitants / totals.all_inhabitants / 100 AS share
  FROM totals
  LEFT JOIN mutualisation_keyterm wu
    ON wu.year_id = %(year)s AND wu.item_id = totals.item_id AND wu.method = 'use'
  LEFT JOIN mutualisation_keyterm wp
    ON wp.year_id = %(year)s AND wp.item_id = totals.item_id AND wp.method = 'population'
)
SELECT shares.party_id, c.item_id, c.component, ROUND(c.amount * shares.share, 2)
FROM shares JOIN mutualisation_cost c ON c.item_id = shares.item_id AND c.year_id = %(year)s
"""
COMPONENTS = {"staff": 120_000, "supplies": 8_000, "renewal": 5_000, "contracts": 14_000}


def build(cooperation, communes: int, services_count: int, years: int, first_year: int = 2016):
    """An EPCI and its communes as parties of a convention, its services, and their years'
    costs, keys and declared uses, in bulk (the benchmark measures reading and closing)."""
    from maillage.cooperations.models import Party
    from maillage.directory.models import Organisation
    from maillage.mutualisation import services
    from maillage.mutualisation.models import (
        AllocationYear,
        Convention,
        ConventionParty,
        Cost,
        DeclaredUse,
        KeyTerm,
        SharedItem,
    )
    from maillage.territories.models import Territory

    tag = cooperation.slug
    epci = Territory.objects.create(kind="epci", code=f"E{tag}"[:20], name=f"EPCI {tag}")
    towns = Territory.objects.bulk_create(
        Territory(
            kind="commune",
            code=f"{tag[:6]}{n:05d}",
            name=f"Commune {n}",
            population=300 + (n * 7919) % 20_000,
        )
        for n in range(communes)
    )
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"EPCI {tag}", kind="epci", territory=epci)]
        + [
            Organisation(name=f"Commune {n:05d}", kind="local_authority", territory=town)
            for n, town in enumerate(towns)
        ]
    )
    parties = Party.objects.bulk_create(
        Party(cooperation=cooperation, organisation=o, role="signatory") for o in organisations
    )
    convention = Convention.objects.create(
        cooperation=cooperation, title="Services communs", kind="common_service"
    )
    members = ConventionParty.objects.bulk_create(
        ConventionParty(convention=convention, party=party) for party in parties
    )
    provider, towns_members = members[0], members[1:]
    items = SharedItem.objects.bulk_create(
        SharedItem(
            convention=convention, name=f"Service {n:02d}", kind="service", provider=provider
        )
        for n in range(services_count)
    )
    for item in items:
        item.sharing_parties.set(towns_members)
    for offset in range(years):
        year = AllocationYear.objects.create(convention=convention, year=first_year + offset)
        Cost.objects.bulk_create(
            Cost(
                year=year,
                item=item,
                component=component,
                source="accounts",
                amount=Decimal(amount + 37 * offset + item.pk).quantize(Decimal("0.01")),
            )
            for item in items
            for component, amount in COMPONENTS.items()
        )
        KeyTerm.objects.bulk_create(
            KeyTerm(year=year, item=item, method=method, weight=Decimal(50))
            for item in items
            for method in ("use", "population")
        )
        DeclaredUse.objects.bulk_create(
            (
                DeclaredUse(
                    year=year,
                    item=item,
                    party=member,
                    forecast=Decimal(10 + (rank + offset) % 90),
                    actual=Decimal(12 + (rank * 3 + item.pk + offset) % 97),
                )
                for item in items
                for rank, member in enumerate(towns_members)
            ),
            batch_size=5000,
        )
        if offset < years - 1:
            services.year_close(actor=None, year=year)
    return convention


def run(arguments) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from maillage.accounts.models import User
    from maillage.cooperations.models import Cooperation
    from maillage.mutualisation import selectors

    database = arguments.database
    call_command("migrate", verbosity=0)
    small_cooperation = Cooperation.objects.create(
        title="Petite", slug="petite", kind="other", visibility="public"
    )
    big_cooperation = Cooperation.objects.create(
        title="Grande", slug="grande", kind="other", visibility="public"
    )
    start = time.perf_counter()
    small = build(small_cooperation, max(2, arguments.communes // 10), arguments.services, 1)
    big = build(big_cooperation, arguments.communes, arguments.services, arguments.years)
    built = time.perf_counter() - start
    staff = User.objects.create_user(email="bench@exemple.test", password="bench-bench-bench")
    staff.is_staff = True
    staff.save()
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(staff)

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, path
        return response

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    def open_year(convention):
        year = convention.years.order_by("-year").first()
        year.convention = convention
        return year

    print(
        f"== {database}: {arguments.communes} communes × {arguments.services} services × "
        f"{arguments.years} years (built and {arguments.years - 1} years closed in {built:.1f} s)"
    )
    for name, action in (
        ("statements (selectors.allocation_of)", lambda c: selectors.allocation_of(open_year(c))),
        ("year page (allocation table)", lambda c: get(open_year(c).get_absolute_url())),
        ("statement page", lambda c: get(_statement_path(open_year(c)))),
        ("convention page", lambda c: get(c.get_absolute_url())),
    ):
        few = queries(partial(action, small))
        many = queries(partial(action, big))
        print(f"queries   {name:38} {few} (small) {many} (big)")
        assert few == many, name

    year = open_year(big)
    params = {"year": year.pk}

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR, params)
            return cursor.fetchall()

    allocation = selectors.allocation_of(year)
    rows = floor()
    assert len(rows) == arguments.communes * arguments.services * len(COMPONENTS), len(rows)
    floor_total = sum(Decimal(str(row[3])) for row in rows)
    assert abs(floor_total - allocation.total) <= Decimal("0.01") * len(rows), "floor"
    assert sum(s.share for s in allocation.statements) == allocation.total  # to the cent
    path = year.get_absolute_url()
    for name, timed in (
        ("statements (selectors.allocation_of)", lambda: selectors.allocation_of(year)),
        ("allocation page (HTML)", lambda: get(path)),
    ):
        floor_time, seconds = paired_medians(floor, timed, runs=9)
        print(
            f"{name:39} {seconds * 1000:8.2f} ms = {seconds / floor_time:5.1f}× its floor"
            f" ({floor_time * 1000:.2f} ms, timed in turn)"
        )
    with override_settings(FIGURES_CACHE_SECONDS=3600):  # as with Redis in production
        get(path)
        seconds = median_seconds(lambda: get(path))
        print(f"allocation page, cached (nothing changed) {seconds * 1000:8.2f} ms")
    from maillage.mutualisation import services

    start = time.perf_counter()
    services.year_close(actor=None, year=year)
    print(
        f"closing the year (statements issued)     {(time.perf_counter() - start) * 1000:8.2f} ms"
    )


def _statement_path(year) -> str:
    from django.urls import reverse

    party = year.convention.parties.order_by("pk")[1]
    args = [year.convention.cooperation.slug, year.convention_id, year.year, party.pk]
    return reverse("mutualisation:statement", args=args)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    arguments = parser.parse_args()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        configure(arguments.database, Path(tmp))
        run(arguments)


if __name__ == "__main__":
    main()
