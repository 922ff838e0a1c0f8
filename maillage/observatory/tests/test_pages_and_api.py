"""The observatory's pages and API, as each role: referential data is public; a cooperation's
panel follows its page. Page and API give the same figures; lists keep their query count."""

import csv
import io
import json
from functools import partial

import pytest
from django.test import Client
from openpyxl import load_workbook

from maillage.cooperations.models import Party
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.core.enums import Visibility
from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.observatory import selectors
from maillage.territories.models import Territory
from maillage.territories.tests.factories import grow_communes_in

pytestmark = pytest.mark.django_db


def t(kind, code):
    return Territory.objects.get(kind=kind, code=code)


@pytest.fixture
def metropole(observatory):
    return t("epci", "242900314")


def add_party(cooperation, territory, role="signatory"):
    return Party.objects.create(
        cooperation=cooperation,
        organisation=OrganisationFactory.create(name=f"Collectivité {territory.name}"),
        territory=territory,
        role=role,
    )


def test_a_profile_page_shows_the_figures_the_map_and_the_flows(client, metropole):
    page = client.get(f"/observatoire/territoires/{metropole.pk}/?niveau=epci")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Portrait : Brest Métropole" in html
    assert "166" in html and "500" in html  # population, grouped by thousands
    assert "Données de démonstration" in html
    assert 'data-map="map-communes"' in html and 'data-map="map-flows"' in html
    config = json.loads(
        html.split('<script id="map-communes" type="application/json">')[1].split("</script>")[0]
    )
    assert config["url"].endswith(f"/territories/{metropole.pk}/map?variable=DENSITE")
    assert "Cambrai" in html  # Cambrai's agglomeration sends 1.5 commuters to Brest


def test_an_unknown_variable_falls_back_to_density(client, metropole):
    page = client.get(f"/observatoire/territoires/{metropole.pk}/?variable=NOPE")
    assert page.status_code == 200
    assert "?variable=DENSITE" in page.content.decode()


def test_page_and_api_give_the_same_profile(client, metropole):
    page = client.get(f"/observatoire/territoires/{metropole.pk}/").context["profile"]
    api = client.get(f"/api/v1/territories/{metropole.pk}/profile").json()
    assert [c["id"] for c in api["columns"]] == [c.pk if c else None for c in page.columns]
    page_values = {r.variable.code: r.values for _t, rows in page.sections for r in rows}
    api_values = {f["variable"]["code"]: f["values"] for s in api["sections"] for f in s["figures"]}
    assert api_values == page_values
    assert api_values["P21_POP"] == [166500, 166500, 166500, 198500]


def test_page_and_api_give_the_same_flows(client, metropole):
    page = client.get(f"/observatoire/territoires/{metropole.pk}/?niveau=epci").context["flows"]
    api = client.get(f"/api/v1/flows?origin={metropole.pk}&level=epci").json()
    assert [(i["destination"]["id"], i["value"]) for i in api["flows"]] == [
        (p.territory.pk, p.value) for p, _share in page["outbound"]
    ]
    assert api["dataset"] == {"kind": "home_work", "year": 2022, "rows": 9, "demonstration": True}


def test_the_flows_between_two_territories_through_the_api(client, metropole):
    cambrai = t("epci", "200068500")
    items = client.get(f"/api/v1/flows?origin={cambrai.pk}&destination={metropole.pk}").json()[
        "flows"
    ]
    assert {(i["origin"]["id"], i["destination"]["id"]): i["value"] for i in items} == {
        (metropole.pk, metropole.pk): pytest.approx(1700.875),
        (cambrai.pk, cambrai.pk): 500,
        (cambrai.pk, metropole.pk): 1.5,
    }


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("", 400, "origin"),
        ("origin=1&year=1990", 404, None),
        ("origin=999999", 404, None),
        ("origin=1&kind=nope", 400, "kind"),
    ],
)
def test_bad_flow_queries_get_a_clear_answer(client, observatory, query, status, field):
    response = client.get(f"/api/v1/flows?{query}")
    assert response.status_code == status
    if field:
        assert field in json.dumps(response.json())


def test_the_map_of_a_territorys_communes_carries_their_values(client, metropole):
    data = client.get(f"/api/v1/territories/{metropole.pk}/map?variable=P21_POP").json()
    values = {f["properties"]["code"]: f["properties"]["value"] for f in data["features"]}
    assert values == {"29019": 140000, "29075": 15000, "29235": 11500}
    assert client.get(f"/api/v1/territories/{metropole.pk}/map?variable=NOPE").status_code == 400


def test_a_boundary_is_served_and_its_absence_said(client, metropole):
    outline = client.get(f"/api/v1/territories/{metropole.pk}/boundary").json()
    assert outline["type"] == "Feature" and outline["geometry"]["type"] == "Polygon"
    lonely = Territory.objects.create(kind="custom_area", name="Sans commune")
    assert client.get(f"/api/v1/territories/{lonely.pk}/boundary").status_code == 404


def test_compare_two_territories_page_api_and_exports(client, metropole):
    cambrai = t("epci", "200068500")
    query = f"t={metropole.pk}&t={cambrai.pk}"
    page = client.get(f"/observatoire/comparer/?{query}")
    assert page.status_code == 200 and "Brest Métropole" in page.content.decode()
    api = client.get(f"/api/v1/territories/compare?ids={metropole.pk}&ids={cambrai.pk}").json()
    assert [c["name"] for c in api["columns"]] == [
        "Brest Métropole",
        "Communauté d'agglomération de Cambrai",
    ]
    sheet = load_workbook(
        io.BytesIO(client.get(f"/observatoire/comparer/?{query}&format=xlsx").content)
    ).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["Population"][2:4] == (166500, 32000)
    text = client.get(f"/observatoire/comparer/?{query}&format=csv").content.decode()
    assert "Population" in text
    assert client.get(f"/observatoire/comparer/?{query}&format=pdf").status_code == 404
    assert client.get(f"/api/v1/territories/compare?ids={metropole.pk}").status_code == 400


def test_the_comparison_finds_territories_to_add_and_stops_at_six(client, metropole):
    page = client.get(f"/observatoire/comparer/?t={metropole.pk}&q=cambrai").content.decode()
    assert "Ajouter Cambrai (Commune)" in page
    ids = "&".join(f"t={pk}" for pk in Territory.objects.values_list("pk", flat=True)[:8])
    assert len(client.get(f"/observatoire/comparer/?{ids}").context["chosen"]) == 6


def test_the_flow_matrix_page_and_its_export(client, metropole):
    cambrai = t("epci", "200068500")
    query = f"t={metropole.pk}&t={cambrai.pk}"
    page = client.get(f"/observatoire/flux/?{query}")
    assert page.status_code == 200
    assert page.context["rows"][1] == (cambrai, [1.5, 500.0])
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/observatoire/flux/?{query}&format=csv").content.decode()),
            delimiter=";",
        )
    )
    assert rows[-1] == ["Communauté d'agglomération de Cambrai", "1.5", "500.0"]


def test_the_cooperation_page_shows_its_parties_side_by_side_and_the_flows_between_them(
    client, claire, cooperation, metropole
):
    client.force_login(claire)
    cambrai = t("epci", "200068500")
    add_party(cooperation, metropole)
    add_party(cooperation, cambrai, role="partner")
    add_party(cooperation, t("region", "53"), role="associated")  # not part of the area
    html = client.get(cooperation.get_absolute_url()).content.decode()
    assert "Les territoires de la coopération" in html
    section = html.split("Les flux entre les parties")[1]
    assert "Bretagne" not in section.split("</table>")[0]
    assert "1,5" in section and "Suisse" in section  # Brest Métropole → Switzerland: 2.75


def test_observatory_pages_are_public_and_a_private_cooperations_panel_is_not(
    client, cast, cooperation, metropole
):
    for url in (
        "/observatoire/",
        f"/observatoire/territoires/{metropole.pk}/",
        f"/observatoire/comparer/?t={metropole.pk}",
        f"/observatoire/flux/?t={metropole.pk}",
        f"/api/v1/territories/{metropole.pk}/profile",
        "/api/v1/statistics/variables",
    ):
        assert_permission_matrix(cast, partial(Client.get, path=url), dict.fromkeys(cast, 200))
    hidden = CooperationFactory.create(slug="cachee", visibility=Visibility.RESTRICTED)
    add_party(hidden, metropole)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_queries_stay_fixed_as_a_territory_grows(client, claire, metropole, cooperation):
    client.force_login(claire)
    add_party(cooperation, metropole)
    urls = [
        f"/observatoire/territoires/{metropole.pk}/?niveau=epci",
        f"/api/v1/territories/{metropole.pk}/map?variable=DENSITE",
        f"/api/v1/territories/{metropole.pk}/profile",
        cooperation.get_absolute_url(),
    ]

    def visit():
        for url in urls:
            assert client.get(url).status_code == 200

    def grow():
        grow_communes_in(metropole, 5)
        add_party(cooperation, t("epci", "200068500"), role="partner")
        visit()  # the area's outline is made again once, for its new communes

    visit()  # the area's outline is made once
    assert_constant_queries(visit, grow)


def test_the_shares_in_the_flow_tables_come_from_the_balance(client, metropole):
    flows = client.get(f"/observatoire/territoires/{metropole.pk}/").context["flows"]
    balance = selectors.flow_balance(metropole, flows["dataset"])
    assert sum(share for _p, share in flows["outbound"]) == pytest.approx(1.0)
    assert balance.residents == pytest.approx(1700.875 + 2.75)


def test_a_map_of_too_many_communes_is_refused_with_its_reason(client, metropole, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_MAX_COMMUNES", 2)
    response = client.get(f"/api/v1/territories/{metropole.pk}/map")
    assert response.status_code == 400
    assert "trop de communes" in response.json()["errors"][0]["message"]
    page = client.get(f"/observatoire/territoires/{metropole.pk}/")
    assert "trop de communes" in page.content.decode()
    assert 'data-map="map-communes"' not in page.content.decode()


def test_no_outline_is_made_for_an_area_of_too_many_communes(client, metropole, monkeypatch):
    from maillage.observatory import services

    monkeypatch.setattr(services, "MAX_UNION_COMMUNES", 2)
    assert services.outline_of(metropole) is None
    assert client.get(f"/api/v1/territories/{metropole.pk}/boundary").status_code == 404


def test_the_comparison_and_flow_pages_keep_their_queries_and_agree_with_the_api(client, metropole):
    cambrai = t("epci", "200068500")
    query = f"t={metropole.pk}&t={cambrai.pk}"
    urls = [f"/observatoire/comparer/?{query}", f"/observatoire/flux/?{query}"]

    def visit():
        for url in urls:
            assert client.get(url).status_code == 200

    def grow():
        grow_communes_in(metropole, 5)
        grow_communes_in(cambrai, 5)
        visit()  # the areas' outlines are made again once, for their new communes

    visit()
    assert_constant_queries(visit, grow)
    page = client.get(f"/observatoire/comparer/?{query}").context["comparison"]
    api = client.get(f"/api/v1/territories/compare?ids={metropole.pk}&ids={cambrai.pk}").json()
    assert {f["variable"]["code"]: f["values"] for s in api["sections"] for f in s["figures"]} == {
        r.variable.code: r.values for _t, rows in page.sections for r in rows
    }
