"""Every filtered list answers the same from its page and from the API: the same filters give
the same rows, and a value that is not one is refused by the API (400 naming the field) and
said on the page (the filter is then left out) — never "everything" here and "nothing" there.
The filters come from one `core.filters.ListFilters` per list."""

from dataclasses import dataclass
from datetime import date

import pytest

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.governance import services as governance_services
from maillage.governance.tests.factories import meeting_in
from maillage.projects import services as project_services
from maillage.territories.models import Territory

pytestmark = pytest.mark.django_db


@dataclass
class ListCase:
    name: str
    page: str
    api: str
    api_scope: dict  # what the API needs besides the filters (the cooperation)
    # The same filter said both ways: (page query, API query), and a bad value for one field.
    same: list[tuple[dict, dict]]
    bad: tuple[str, str, str]  # page parameter, API field, value


def _ids_of_page(response) -> set[int]:
    rows = response.context["page_obj"].object_list
    return {row["id"] if isinstance(row, dict) else row.pk for row in rows}


def _ids_of_api(response) -> set[int]:
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return {item["id"] for item in items}


@pytest.fixture
def world(cooperation, claire):
    """A public cooperation with projects, proposals and decisions of several kinds."""
    cooperation.visibility = "public"
    cooperation.save()
    CooperationFactory.create(title="Autre", kind="territorial_contract", visibility="public")
    territory = Territory.objects.create(name="Brest", kind="commune", code="29019")
    Territory.objects.create(name="Quimper", kind="commune", code="29232")
    Territory.objects.create(name="Finistère", kind="departement", code="29")
    cooperation.territories.add(territory)
    OrganisationFactory.create(name="Brest métropole", kind="epci")
    OrganisationFactory.create(name="Mairie de Carhaix", kind="local_authority")
    for status, structuring in (("engaged", True), ("idea", False), ("engaged", False)):
        project_services.project_create(
            actor=None,
            cooperation=cooperation,
            title=f"Projet {status}",
            status=status,
            structuring=structuring,
            visibility="public",
        )
    for title in ("Bois énergie", "Santé"):
        cooperation_services.proposal_create(
            actor=None, cooperation=cooperation, title=title, visibility="public"
        )
    body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other", visibility="public"
    )
    meeting = meeting_in(cooperation, days=-5, body=body, title="Comité", visibility="public")
    for kind, on in (("programming", date(2025, 3, 1)), ("other", date(2026, 3, 1))):
        governance_services.decision_record(
            actor=None, meeting=meeting, kind=kind, date=on, text=f"Décision {kind}"
        )
    return cooperation


def _cases(cooperation) -> list[ListCase]:
    slug, pk = cooperation.slug, cooperation.pk
    return [
        ListCase(
            "cooperations",
            "/",
            "/api/v1/cooperations",
            {},
            [({"nature": "territorial_contract"}, {"kind": "territorial_contract"}), ({}, {})],
            ("nature", "kind", "n-importe"),
        ),
        ListCase(
            "portfolio",
            f"/cooperations/{slug}/projets/",
            "/api/v1/projects",
            {"cooperation": slug},
            [
                ({"statut": "engaged"}, {"status": "engaged"}),
                ({"structurant": "oui"}, {"structuring": "true"}),
                (
                    {"statut": "engaged", "structurant": "non"},
                    {"status": "engaged"} | {"structuring": "false"},
                ),
            ],
            ("statut", "status", "fini"),
        ),
        ListCase(
            "proposals",
            f"/cooperations/{slug}/pistes/",
            f"/api/v1/cooperations/{slug}/proposals",
            {},
            [
                ({"q": "bois"}, {"search": "bois"}),
                ({"statut": "submitted"}, {"status": "submitted"}),
            ],
            ("statut", "status", "peut-être"),
        ),
        ListCase(
            "decisions",
            f"/cooperations/{slug}/decisions/",
            "/api/v1/decisions",
            {"cooperation": pk},
            [
                ({"annee": "2026"}, {"year": "2026"}),
                ({"type": "programming"}, {"kind": "programming"}),
            ],
            ("type", "kind", "veto"),
        ),
        ListCase(
            "territories",
            "/territoires/",
            "/api/v1/territories",
            {},
            [
                ({"nature": "commune"}, {"kind": "commune"}),
                ({"q": "quimper"}, {"search": "quimper"}),
            ],
            ("nature", "kind", "canton-imaginaire"),
        ),
        ListCase(
            "organisations",
            "/annuaire/structures/",
            "/api/v1/organisations",
            {},
            [({"nature": "epci"}, {"kind": "epci"}), ({"q": "carhaix"}, {"search": "carhaix"})],
            ("nature", "kind", "amicale"),
        ),
    ]


CASES = ["cooperations", "portfolio", "proposals", "decisions", "territories", "organisations"]


@pytest.mark.parametrize("name", CASES)
def test_the_same_filters_give_the_same_rows_on_the_page_and_in_the_api(client, world, name):
    case = next(case for case in _cases(world) if case.name == name)
    for page_query, api_query in case.same:
        page = client.get(case.page, page_query)
        api = client.get(case.api, case.api_scope | api_query)
        assert page.status_code == api.status_code == 200, (page_query, api.content)
        assert _ids_of_page(page) == _ids_of_api(api), (page_query, api_query)
    unfiltered = _ids_of_api(client.get(case.api, case.api_scope))
    filtered = [
        _ids_of_api(client.get(case.api, case.api_scope | api_query)) for _, api_query in case.same
    ]
    assert any(ids != unfiltered for ids in filtered), "no filter narrowed the list: no proof"


@pytest.mark.parametrize("name", CASES)
def test_a_value_that_is_no_filter_is_said_on_the_page_and_refused_by_the_api(client, world, name):
    case = next(case for case in _cases(world) if case.name == name)
    param, field, value = case.bad
    api = client.get(case.api, case.api_scope | {field: value})
    assert api.status_code == 400
    assert [error["field"] for error in api.json()["errors"]] == [field]
    page = client.get(case.page, {param: value})
    assert page.status_code == 200
    said = [str(message) for message in page.context["messages"]]
    assert said == [f"Le filtre « {param} » n’accepte pas la valeur « {value} » : il est ignoré."]
    # The bad filter is left out, the list is the unfiltered one.
    assert _ids_of_page(page) == _ids_of_page(client.get(case.page))


def test_the_overview_refuses_an_unknown_kind_too(client, world):
    assert client.get("/api/v1/dashboard/overview", {"kind": "x"}).status_code == 400
    page = client.get("/tableau-de-bord/", {"nature": "x"})
    assert "Le filtre « nature » n’accepte pas la valeur « x »" in page.content.decode()


def test_a_dashboard_figure_leads_to_the_portfolio_rows_it_counts(client, world):
    board = client.get(f"/api/v1/cooperations/{world.slug}/dashboard").json()
    engaged = next(row for row in board["projects"]["by_status"] if row["key"] == "engaged")
    listed = client.get(
        "/api/v1/projects", {"cooperation": world.pk, **engaged["portfolio_filter"]}
    )
    assert listed.json()["count"] == engaged["value"] == 2


def test_every_search_box_folds_case_and_accents(client, world, cooperation):
    """A search for "college" found nothing where "collège" found the project (territories folded, projects
    and cooperations did not): the same on their pages and in their API."""
    from maillage.projects import services as project_services

    project_services.project_create(
        actor=None, cooperation=cooperation, title="Collège Édouard", visibility="public"
    )
    for search in ("college edouard", "COLLÈGE", "collège"):
        page = client.get(f"/cooperations/{cooperation.slug}/projets/", {"q": search})
        api = client.get("/api/v1/projects", {"cooperation": cooperation.pk, "search": search})
        assert [row["title"] for row in page.context["page_obj"].object_list] == [
            "Collège Édouard"
        ], search
        assert [item["title"] for item in api.json()["items"]] == ["Collège Édouard"], search
    title = cooperation.title  # "Brest ↔ COB"
    for search in ("brest", "BREST", "brèst"):
        page = client.get("/", {"q": search})
        api = client.get("/api/v1/cooperations", {"search": search})
        assert title in page.content.decode(), search
        assert [item["title"] for item in api.json()["items"]] == [title], search
