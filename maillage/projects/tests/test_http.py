from decimal import Decimal
from functools import partial

import pytest

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import OrganisationFactory
from maillage.core.enums import Visibility
from maillage.core.testing import ROLES, assert_constant_queries, assert_permission_matrix
from maillage.projects import services
from maillage.projects.models import Project

pytestmark = pytest.mark.django_db
JSON = "application/json"
EVERYBODY = dict.fromkeys(ROLES, 200)
MANAGERS_PAGE = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "coordinator": 200, "staff": 200}


@pytest.fixture
def public(cooperation):
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return cooperation


@pytest.fixture
def project(public, paula):
    project = services.project_create(
        actor=None,
        cooperation=public,
        title="Chaufferie",
        visibility=Visibility.PUBLIC,
        contacts=[paula],
    )
    services.financing_add(
        actor=None, project=project, funder=OrganisationFactory.create(), amount=Decimal(10)
    )
    return project


def page(project, suffix=""):
    return f"/cooperations/{project.cooperation.slug}/projets/{project.code}/{suffix}"


def get(client, *, path):
    return client.get(path)


def test_reading_the_portfolio_and_a_project(cast, public, project):
    for path in (
        f"/cooperations/{public.slug}/projets/",
        page(project),
        f"/api/v1/projects?cooperation={public.pk}",
        f"/api/v1/projects/{project.pk}",
    ):
        assert_permission_matrix(cast, partial(get, path=path), EVERYBODY)


def test_restricted_projects_are_for_coordinators_and_contacts(cast, public, project):
    project.visibility = Visibility.RESTRICTED
    project.save()
    expected = {
        **dict.fromkeys(ROLES, 404),
        "project_contact": 200,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(cast, partial(get, path=page(project)), expected)
    assert_permission_matrix(cast, partial(get, path=f"/api/v1/projects/{project.pk}"), expected)


def test_editing_pages(cast, public, project):
    contacts_too = {**MANAGERS_PAGE, "project_contact": 200}
    assert_permission_matrix(cast, partial(get, path=page(project, "modifier/")), contacts_too)
    assert_permission_matrix(
        cast, partial(get, path=page(project, "financements/ajouter/")), contacts_too
    )
    assert_permission_matrix(
        cast, partial(get, path=f"/cooperations/{public.slug}/projets/nouveau/"), MANAGERS_PAGE
    )
    assert_permission_matrix(cast, partial(get, path=page(project, "supprimer/")), MANAGERS_PAGE)
    assert_permission_matrix(
        cast, partial(get, path=f"/cooperations/{public.slug}/projets/import/"), MANAGERS_PAGE
    )


def test_status_changes_through_the_api_as_each_role(cast, public, project):
    statuses = iter(["study", "ready", "engaged", "paused", "study", "ready", "engaged", "paused"])

    def change(client):
        return client.post(
            f"/api/v1/projects/{project.pk}/status", {"status": next(statuses)}, content_type=JSON
        )

    expected = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "project_contact": 200,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(cast, change, expected)


def test_creating_through_the_api(cast, public):
    def create(client):
        return client.post(
            "/api/v1/projects", {"cooperation": public.pk, "title": "Nouveau"}, content_type=JSON
        )

    expected = {**dict.fromkeys(ROLES, 403), "anonymous": 401, "coordinator": 201, "staff": 201}
    assert_permission_matrix(cast, create, expected)


def test_bad_input_names_the_field(client, claire, public, project):
    client.force_login(claire)
    response = client.post(
        f"/api/v1/projects/{project.pk}/financing",
        {"funder_id": 999999, "amount": "5"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "funder_id"
    response = client.patch(
        f"/api/v1/projects/{project.pk}",
        {"start_date": "2025-01-01", "end_date": "2024-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert Project.objects.get(pk=project.pk).start_date is None
    response = client.post(
        page(project, "financements/ajouter/"),
        {
            "funder": OrganisationFactory.create().pk,
            "amount": "-3",
            "currency": "EUR",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert project.financing.count() == 1


def test_the_portfolio_filters_and_counts(client, claire, public, project):
    services.project_create(
        actor=None,
        cooperation=public,
        title="Collège",
        structuring=True,
        status="engaged",
        visibility="public",
    )
    body = client.get(
        f"/cooperations/{public.slug}/projets/", {"structurant": "oui"}
    ).content.decode()
    assert "Collège" in body and "Chaufferie" not in body
    api = client.get("/api/v1/projects", {"cooperation": public.pk, "status": "engaged"}).json()
    assert [p["title"] for p in api["items"]] == ["Collège"]
    assert api["items"][0]["shared_status"] == "EN_COURS"


def test_the_figures_above_the_portfolio_agree_with_their_numbers(client, public, project):
    for title in ("Collège", "Halle"):
        services.project_create(
            actor=None,
            cooperation=public,
            title=title,
            status="engaged",
            structuring=title == "Halle",
            visibility="public",
        )
    body = " ".join(client.get(f"/cooperations/{public.slug}/projets/").content.decode().split())
    for figure in ("3</strong> projets", "2</strong> engagés<", "1</strong> idée<"):
        assert figure in body, figure
    assert "1</strong> structurant<" in body
    english = client.get(f"/cooperations/{public.slug}/projets/", HTTP_ACCEPT_LANGUAGE="en")
    assert "2</strong> engaged<" in " ".join(english.content.decode().split())


def test_the_portfolio_filters_on_a_financing_stage(client, public, project):
    from maillage.projects.models import Programme

    leader, feder = Programme.objects.get(code="leader"), Programme.objects.get(code="feder")
    granted = services.project_create(
        actor=None, cooperation=public, title="Accordé FEDER", visibility="public"
    )
    funder = OrganisationFactory.create()
    for programme, status in ((feder, "granted"), (leader, "planned")):
        services.financing_add(
            actor=None,
            project=granted,
            funder=funder,
            programme=programme,
            amount=Decimal(5),
            status=status,
        )
    # `project` has one planned line (the fixture's).

    def page_titles(**query):
        body = client.get(f"/cooperations/{public.slug}/projets/", query).content.decode()
        return {title for title in ("Accordé FEDER", "Chaufferie") if f">{title}</a>" in body}

    assert page_titles(financement="granted") == {"Accordé FEDER"}
    assert page_titles(financement="planned") == {"Accordé FEDER", "Chaufferie"}
    # One line must match every financing filter: no LEADER line is granted.
    assert page_titles(financement="granted", dispositif=leader.pk) == set()
    assert page_titles(financement="granted", dispositif=feder.pk) == {"Accordé FEDER"}
    assert page_titles(financement="n'importe") == {"Accordé FEDER", "Chaufferie"}  # ignored
    api = client.get(
        "/api/v1/projects", {"cooperation": public.pk, "financing_status": "granted"}
    ).json()
    assert [row["title"] for row in api["items"]] == ["Accordé FEDER"]
    export = client.get(
        f"/cooperations/{public.slug}/projets/export/", {"financement": "granted", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert "Accordé FEDER" in export and "Chaufferie" not in export


def test_the_api_filters_take_known_values_only(client, public):
    from typing import get_args

    from maillage.projects.selectors import HEALTH_FLAGS, SORTS, Health, Sort

    # The statuses are the enums themselves; these two lists are kept in step by hand.
    assert get_args(Health) == HEALTH_FLAGS and get_args(Sort) == tuple(SORTS)
    for name in ("status", "financing_status", "health", "sort"):
        response = client.get("/api/v1/projects", {"cooperation": public.pk, name: "n'importe"})
        assert response.status_code == 400, name
        assert response.json()["errors"][0]["field"] == name


def test_an_api_row_names_its_owner_and_sums_its_financing(client, claire, public, project):
    owner = OrganisationFactory.create(name="Brest métropole")
    services.project_update(actor=claire, project=project, owner=owner)
    services.financing_add(
        actor=None, project=project, funder=OrganisationFactory.create(), amount=Decimal("2.5")
    )
    services.project_create(
        actor=None, cooperation=public, title="Sans porteur", visibility="public"
    )
    api = client.get("/api/v1/projects", {"cooperation": public.pk}).json()
    rows = {row["title"]: row for row in api["items"]}
    assert rows["Chaufferie"]["owner_id"] == owner.pk
    assert rows["Chaufferie"]["owner_name"] == "Brest métropole"
    assert Decimal(rows["Chaufferie"]["financing_total"]) == Decimal("12.5")
    assert rows["Sans porteur"]["owner_name"] is None
    assert rows["Sans porteur"]["financing_total"] is None
    assert api["count"] == 2
    detail = client.get(f"/api/v1/projects/{project.pk}").json()
    assert detail["owner_name"] == "Brest métropole"


def test_lists_keep_a_fixed_number_of_queries(client, claire, public, project):
    client.force_login(claire)
    # With one indicator already there, the prefetch of their values runs before and after.
    services.indicator_add(actor=None, project=project, name="Départ")
    paths = [
        f"/cooperations/{public.slug}/projets/",
        f"/api/v1/projects?cooperation={public.pk}",
        page(project),
    ]

    def strategy_and_themes(n: int):
        """The filter options list them: a portfolio with none hid an N+1 (issue 20)."""
        cooperation_services.strategy_node_create(actor=None, cooperation=public, title=f"Axe {n}")
        cooperation_services.theme_create(actor=None, cooperation=public, name=f"Thème {n}")

    strategy_and_themes(0)

    def grow():
        for n in range(6):
            strategy_and_themes(n + 1)
            other = services.project_create(
                actor=None, cooperation=public, title=f"P{n}", owner=OrganisationFactory.create()
            )
            services.financing_add(
                actor=None, project=other, funder=OrganisationFactory.create(), amount=Decimal(n)
            )
            services.financing_add(
                actor=None, project=project, funder=OrganisationFactory.create(), amount=Decimal(n)
            )
            services.indicator_add(actor=None, project=project, name=f"I{n}")

    assert all(client.get(path).status_code == 200 for path in paths)
    assert_constant_queries(lambda: [client.get(path) for path in paths], grow)


def test_organisation_territory_and_strategy_pages_list_their_projects(
    client, nadia, public, claire
):
    from maillage.cooperations.services import strategy_node_create
    from maillage.territories.models import Territory

    brest = Territory.objects.create(kind="epci", code="242900314", name="Brest métropole")
    owner = OrganisationFactory.create(name="Porteur public")
    node = strategy_node_create(actor=None, cooperation=public, title="Énergie")
    shown = services.project_create(
        actor=None,
        cooperation=public,
        title="Visible",
        owner=owner,
        visibility="public",
        territories=[brest],
        strategy_nodes=[node],
    )
    services.project_create(
        actor=None,
        cooperation=public,
        title="Réservé",
        owner=owner,
        visibility="partners",
        territories=[brest],
        strategy_nodes=[node],
    )
    client.force_login(nadia)  # not a member: the partners-only project stays hidden
    for path in (
        f"/annuaire/structures/{owner.pk}/",
        f"/territoires/{brest.pk}/",
        node.get_absolute_url(),
    ):
        body = client.get(path).content.decode()
        assert shown.title in body and "Réservé" not in body, path
    client.force_login(claire)
    assert "Réservé" in client.get(f"/territoires/{brest.pk}/").content.decode()


def post(client, *, path, data):
    return client.post(path, data)


def test_page_writes_as_each_role(cast, public, project):
    contacts_too = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 302,
        "project_contact": 302,
        "coordinator": 302,
        "staff": 302,
    }
    statuses = iter(["study", "ready", "engaged", "paused"] * 2)
    assert_permission_matrix(
        cast, lambda c: c.post(page(project, "statut/"), {"status": next(statuses)}), contacts_too
    )
    assert_permission_matrix(
        cast,
        partial(post, path=page(project, "journal/"), data={"text": "Réunion tenue"}),
        contacts_too,
    )
    assert_permission_matrix(
        cast,
        partial(post, path=page(project, "etapes/ajouter/"), data={"title": "Marché"}),
        contacts_too,
    )
    assert project.journal.filter(kind="note").count() == 3
    assert project.steps.count() == 3
    managers = {**contacts_too, "project_contact": 403}
    assert_permission_matrix(
        cast,
        partial(
            post,
            path=f"/cooperations/{public.slug}/projets/statut/",
            data={"projects": [project.pk], "status": "completed"},
        ),
        managers,
    )


def test_unknown_part_kinds_are_refused(client, claire, project):
    client.force_login(claire)
    assert client.get(page(project, "inconnu/ajouter/")).status_code == 404


def test_a_coordinator_builds_a_project_in_the_interface(client, claire, paula, public):
    from maillage.territories.models import Territory

    brest = Territory.objects.create(kind="epci", code="242900314", name="Brest métropole")
    owner = OrganisationFactory.create(name="Brest métropole")
    client.force_login(claire)
    base = f"/cooperations/{public.slug}/projets/"
    response = client.post(
        base + "nouveau/",
        {
            "title": "Réseau de chaleur",
            "owner": owner.pk,
            "contacts": [paula.pk],
            "visibility": "public",
            "currency": "EUR",
            "territory_codes": "epci:242900314",
            "total_cost": "800000",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(title="Réseau de chaleur")
    assert project.code == "001" and list(project.territories.all()) == [brest]
    response = client.post(
        base + "001/financements/ajouter/",
        {"funder": owner.pk, "amount": "300000", "currency": "EUR", "status": "granted"},
    )
    assert response.status_code == 302
    response = client.post(
        base + "001/indicateurs/ajouter/",
        {"name": "Logements raccordés", "kind": "output", "target": "500"},
    )
    assert response.status_code == 302
    response = client.get(base + "001/")
    assert response.context["plan"].gap == Decimal("500000")
    assert "Reste à financer" in response.content.decode()
    response = client.post(
        base + "001/modifier/",
        {
            "title": "Réseau de chaleur bois",
            "visibility": "public",
            "currency": "EUR",
            "territory_codes": "commune:00000",
        },
    )
    assert response.status_code == 200 and "territory_codes" in response.context["form"].errors
    assert Project.objects.get(pk=project.pk).title == "Réseau de chaleur"


def test_the_portfolio_rows_say_what_each_project_is(client, public):
    from datetime import date
    from decimal import Decimal

    services.project_create(
        actor=None,
        cooperation=public,
        title="Halle <gourmande>",
        code="H/1",
        structuring=True,
        status="engaged",
        end_date=date(2020, 1, 1),
        total_cost=Decimal("1250000"),
        blocked=True,
        visibility="public",
    )
    body = client.get(f"/cooperations/{public.slug}/projets/").content.decode()
    row = body[body.index('href="/cooperations/brest-cob/projets/H%2F1/"') :].split("</tr>")[0]
    assert "Halle &lt;gourmande&gt;" in row  # escaped
    for text in ("structurant", "Engagé", "en retard", "bloqué", "01/01/2020", "EUR"):
        assert text in row, text
    assert "1\u00a0250\u00a0000" in row or "1 250 000" in row or "1\u202f250\u202f000" in row
    assert 'type="checkbox"' not in body  # a visitor manages nothing


def test_a_contact_removed_from_the_cooperation_loses_the_restricted_project(
    client, claire, paula, public, project
):
    """Access through a project's contact name ends with the membership (it was kept: a
    removed member could still read, and even publish, a restricted project)."""
    from maillage.accounts.models import Membership
    from maillage.cooperations import services as cooperation_services

    project.visibility = Visibility.RESTRICTED
    project.save()
    client.force_login(paula)
    api = f"/api/v1/projects/{project.pk}"
    assert client.get(page(project)).status_code == 200
    assert client.get(api).status_code == 200
    cooperation_services.member_remove(actor=claire, membership=Membership.objects.get(user=paula))
    assert client.get(page(project)).status_code == 404
    assert client.get(api).status_code == 404
    patched = client.patch(api, {"visibility": "public"}, content_type="application/json")
    assert patched.status_code == 404
    project.refresh_from_db()
    assert project.visibility == Visibility.RESTRICTED
    listed = client.get("/api/v1/projects", {"cooperation": public.pk}).json()
    assert project.pk not in [row["id"] for row in listed["items"]]


def test_the_bulk_status_form_goes_back_to_this_site_only(client, claire, public, project):
    client.force_login(claire)
    url = f"/cooperations/{public.slug}/projets/statut/"
    data = {"projects": [project.pk], "status": "study"}
    away = client.post(url, {**data, "next": "https://mechant.example/vol"})
    assert away.status_code == 302 and away["Location"] == f"/cooperations/{public.slug}/projets/"
    back = client.post(url, {**data, "status": "ready", "next": "/cooperations/?page=2"})
    assert back["Location"] == "/cooperations/?page=2"


def test_an_edit_made_on_a_stale_copy_is_refused_by_page_and_api(client, claire, project):
    """Two people edit the same project: the second one, who read it before the first saved,
    is told so (409 / a message on the form) and nothing of theirs is written."""
    client.force_login(claire)
    api = f"/api/v1/projects/{project.pk}"
    read = client.get(api).json()["updated_at"]
    first = client.patch(api, {"title": "Chaufferie bois", "updated_at": read}, "application/json")
    assert first.status_code == 200
    stale = client.patch(api, {"summary": "Autre", "updated_at": read}, "application/json")
    assert stale.status_code == 409 and "Quelqu’un d’autre" in stale.json()["detail"]
    fresh = client.patch(
        api, {"summary": "Autre", "updated_at": first.json()["updated_at"]}, "application/json"
    )
    assert fresh.status_code == 200
    project.refresh_from_db()
    assert (project.title, project.summary) == ("Chaufferie bois", "Autre")
    form = client.get(page(project, "modifier/")).context["form"]
    posted = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    } | {"title": "Depuis la page", "visibility": "public", "currency": "EUR"}
    client.patch(api, {"summary": "Entre-temps"}, "application/json")  # someone else saves
    response = client.post(page(project, "modifier/"), posted)
    assert "Quelqu’un d’autre a modifié" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Chaufferie bois"


def test_the_proposal_picker_offers_a_contact_only_what_they_may_read(
    client, paula, public, project
):
    from maillage.cooperations import services as cooperation_services

    cooperation_services.proposal_create(
        actor=None, cooperation=public, title="Piste ouverte", visibility="public"
    )
    cooperation_services.proposal_create(
        actor=None, cooperation=public, title="Piste confidentielle", visibility="restricted"
    )
    client.force_login(paula)
    html = client.get(page(project, "modifier/")).content.decode()
    assert "Piste ouverte" in html and "Piste confidentielle" not in html


@pytest.mark.parametrize("direct_up_to", [0, 500], ids=["ids first", "one query"])
def test_a_deep_page_holds_the_rows_of_the_whole_sorted_portfolio(
    client, claire, public, monkeypatch, direct_up_to
):
    """Deep pages are read ids first (issue 20), the first ones in one query: either way each
    page is the slice of the sorted portfolio, with its owner's name and financing total, on
    the page and in the API."""
    from maillage.projects import selectors
    from maillage.projects.selectors import PortfolioFilters, PortfolioRows, portfolio

    monkeypatch.setattr(selectors, "DIRECT_PAGES_UP_TO", direct_up_to)

    owner = OrganisationFactory.create(name="Porteur")
    for n in range(7):
        project = services.project_create(
            actor=None,
            cooperation=public,
            title=f"Projet {n}",
            owner=owner,
            total_cost=Decimal(1000 * (n % 3)),
        )
        services.financing_add(actor=None, project=project, funder=owner, amount=Decimal(n))
    filters = PortfolioFilters(sort="-cout")
    projects = portfolio(claire, public, filters)
    whole = [(p.title, p.financing_total) for p in projects]  # type: ignore[attr-defined]
    rows = PortfolioRows(claire, public, filters)
    paged = [(row["title"], row["financing_total"]) for row in [*rows[0:3], *rows[3:6], *rows[6:9]]]
    assert paged == whole and rows.count() == 7
    assert {row["owner_name"] for row in rows[2:5]} == {"Porteur"}
    client.force_login(claire)
    api = client.get(
        "/api/v1/projects", {"cooperation": public.pk, "sort": "-cout", "offset": 4, "limit": 2}
    ).json()
    assert [item["title"] for item in api["items"]] == [title for title, _total in whole[4:6]]
