"""Flows and statistics aggregated to any territory, and profiles."""

import pytest

from maillage.observatory import selectors
from maillage.observatory.enums import FlowLevel
from maillage.observatory.models import Variable
from maillage.territories.models import Territory, TerritoryMembership

pytestmark = pytest.mark.django_db


def t(kind, code):
    return Territory.objects.get(kind=kind, code=code)


@pytest.fixture
def places(observatory):
    brest_metropole = t("epci", "242900314")
    cambrai_agglo = t("epci", "200068500")
    pays = Territory.objects.create(kind="pays", name="Pays de Cambrai et Saint-Souplet")
    TerritoryMembership.objects.create(container=pays, member=cambrai_agglo)
    TerritoryMembership.objects.create(container=pays, member=t("commune", "59545"))
    return {
        "metropole": brest_metropole,
        "pays": pays,
        "brest": t("commune", "29019"),
        "guipavas": t("commune", "29075"),
        "dataset": selectors.dataset_for(),
        "switzerland": Territory.objects.get(kind="country", code="99140"),
    }


def test_flows_between_territories_of_any_level_both_ways(places):
    matrix = selectors.flow_matrix(
        [places["metropole"], places["pays"], places["switzerland"]], places["dataset"]
    )
    metropole, pays, switzerland = (places[k].pk for k in ("metropole", "pays", "switzerland"))
    assert matrix[(metropole, metropole)] == pytest.approx(1000.5 + 120.25 + 300.125 + 80 + 200)
    assert matrix[(pays, pays)] == pytest.approx(500 + 40)  # Saint-Souplet → Cambrai inside
    assert matrix[(pays, metropole)] == pytest.approx(1.5)
    assert (metropole, pays) not in matrix
    assert matrix[(metropole, switzerland)] == pytest.approx(2.75)  # across the border


def test_balance_and_the_share_of_residents_working_where_they_live(places):
    balance = selectors.flow_balance(places["brest"], places["dataset"])
    assert balance.internal == pytest.approx(1000.5)
    assert balance.outbound == pytest.approx(120.25 + 2.75)
    assert balance.inbound == pytest.approx(300.125 + 200 + 1.5)
    assert balance.self_containment == pytest.approx(1000.5 / (1000.5 + 123))
    assert balance.net == pytest.approx(501.625 - 123)


def test_top_places_at_commune_and_epci_level(places):
    at_communes = selectors.top_places(places["brest"], places["dataset"])
    assert [(p.territory.code, p.value) for p in at_communes] == [
        ("29019", 1000.5),
        ("29075", 120.25),
        ("99140", 2.75),
    ]
    at_epci = selectors.top_places(places["guipavas"], places["dataset"], level=FlowLevel.EPCI)
    assert [(p.territory.code, p.value) for p in at_epci] == [("242900314", 380.125)]
    coming = selectors.top_places(
        places["brest"], places["dataset"], direction=selectors.INBOUND, level=FlowLevel.EPCI
    )
    assert [(p.territory.code, p.value) for p in coming] == [
        ("242900314", 1500.625),
        ("200068500", 1.5),
    ]


def test_statistics_sum_divide_or_stay_a_communes_own(places):
    variables = list(
        Variable.objects.filter(
            code__in=["P21_POP", "DENSITE", "TX_CHOM_1564", "MED21", "EVOL_POP_15_21"]
        )
    )
    values = selectors.statistics_of([places["metropole"], places["brest"], None], variables)
    metropole = values[places["metropole"].pk]
    assert metropole["P21_POP"] == 166500
    assert metropole["DENSITE"] == pytest.approx(166500 / (49.5 + 44 + 7.5))
    # Le Relecq-Kerhuon's unemployed are secret ("s"): its actives still count below the line.
    assert metropole["TX_CHOM_1564"] == pytest.approx(100 * (7200 + 420) / (60000 + 7000 + 5000))
    assert metropole["EVOL_POP_15_21"] == pytest.approx(100 * (166500 - 164000) / 164000)
    assert metropole["MED21"] is None  # a median does not add up
    assert values[places["brest"].pk]["MED21"] == 21000
    assert values[None]["P21_POP"] == 198500  # France: every commune loaded


def test_a_profile_sets_a_territory_beside_its_departement_region_and_france(places):
    profile = selectors.profile(places["metropole"])
    assert [c.code if c else None for c in profile.columns] == ["242900314", "29", "53", None]
    population = next(
        r for _title, rows in profile.sections for r in rows if r.variable.code == "P21_POP"
    )
    assert population.values == [166500, 166500, 166500, 198500]
    assert not profile.illustrative


def test_the_profile_of_a_pays_takes_the_departement_of_most_of_its_communes(places):
    assert [c.code if c else None for c in selectors.profile(places["pays"]).columns] == [
        "",
        "59",
        "32",
        None,
    ]


def test_a_choropleth_gives_each_commune_its_value(places):
    density = Variable.objects.get(code="DENSITE")
    values = selectors.commune_values(selectors.commune_ids(places["metropole"]), density)
    assert values[places["brest"].pk] == pytest.approx(140000 / 49.5)
    assert len(values) == 3
