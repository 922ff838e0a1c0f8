"""The territory search scanned every territory twice (the count, the page: about 15 ms at the
35 000 communes of France on PostgreSQL) and summed each listed area's communes again on every
page (issue 20). PostgreSQL answers the name and code searches from indexes; the areas'
populations come from the cache while the territories are unchanged."""

import pytest
from django.db import connection

from maillage.territories.models import Territory, TerritoryMembership, populations_of
from maillage.territories.tests.factories import grow_communes_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_the_search_boxes_are_answered_by_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"]
        )
        trigram = dict(cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")  # a small table: make the planner show it
        cursor.execute(
            "EXPLAIN SELECT id FROM territories_territory WHERE valid_until IS NULL AND "
            "(search_name LIKE %s OR code LIKE %s)",
            ["%cambrai%", "59122%"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert {
        "territories_territory_search_name_trgm",
        "directory_organisation_search_name_trgm",
        "directory_person_search_name_trgm",
    } <= set(trigram)
    assert all("gin_trgm_ops" in definition for definition in trigram.values())
    assert "territories_territory_search_name_trgm" in plan
    assert "territories_territory_code_prefix" in plan


def test_the_areas_populations_come_from_the_cache_until_the_territories_change(
    figures_cache, django_assert_num_queries
):
    epci = Territory.objects.create(kind="epci", code="200068500", name="CA de Cambrai")
    grow_communes_in(epci, 3)
    assert populations_of([epci]) == {epci.pk: 300}
    with django_assert_num_queries(0):
        assert populations_of([epci]) == {epci.pk: 300}
    commune = Territory.objects.create(
        kind="commune", code="59122", name="Cambrai", population=32000
    )
    TerritoryMembership.objects.create(container=epci, member=commune, source="cog_communes")
    assert populations_of([epci, commune]) == {epci.pk: 32300, commune.pk: 32000}
