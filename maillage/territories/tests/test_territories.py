import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.territories.models import Territory
from maillage.territories.services import (
    area_create,
    area_delete,
    area_update,
    territories_from_codes,
)

pytestmark = pytest.mark.django_db


def get(kind, code):
    return Territory.objects.get(kind=kind, code=code)


@pytest.fixture
def canton(db):
    return Territory.objects.create(
        kind="swiss_canton", code="26", country="CH", name="Jura", population=73000
    )


def test_search_ignores_accents_case_and_articles(referential):
    assert list(Territory.objects.search("relecq")) == [get("commune", "29235")]
    assert list(Territory.objects.search("FINISTERE")) == [get("departement", "29")]
    assert list(Territory.objects.search("le relecq kerhuon")) == [get("commune", "29235")]
    assert get("commune", "29019") in Territory.objects.search("2901")


def test_names_take_insee_s_charniere(referential):
    assert get("commune", "29235").of_name == "du Relecq-Kerhuon"
    assert get("commune", "29019").of_name == "de Brest"
    assert get("departement", "59").of_name == "du Nord"


def test_the_population_of_an_area_is_one_query_whatever_its_depth(
    referential, claire, canton, django_assert_num_queries
):
    area = area_create(
        actor=claire,
        kind="cooperation_area",
        name="Brest et le Jura suisse",
        members=[get("epci", "242900314"), canton],
    )
    with django_assert_num_queries(1):
        assert area.aggregate_population() == 139926 + 15281 + 11589 + 73000
    hauts_de_france = get("region", "32")
    with django_assert_num_queries(1):
        assert hauts_de_france.aggregate_population() == 32558 + 1305  # not the associated commune
    assert Territory.objects.communes_under(area).count() == 3


def test_coordinators_compose_cross_border_areas(referential, claire, canton):
    area = area_create(
        actor=claire,
        kind="cooperation_area",
        name="Arc jurassien",
        members=territories_from_codes("departement:29\nCH:26"),
    )
    assert set(area.members.all()) == {get("departement", "29"), canton}
    assert area.created_by == claire


@pytest.mark.parametrize("person", ["etienne", "paula", "fanny", "oscar", "nadia"])
def test_other_roles_cannot_compose(request, referential, person):
    with pytest.raises(PermissionDenied):
        area_create(actor=request.getfixturevalue(person), kind="pays", name="X", members=[])
    assert not Territory.objects.filter(name="X").exists()


def test_official_territories_cannot_be_edited_nor_created_here(referential, alix):
    with pytest.raises(PermissionDenied):
        area_update(actor=alix, area=get("commune", "29019"), name="Brest-sur-Mer")
    with pytest.raises(ValidationError):
        area_create(actor=alix, kind="commune", name="Nouvelle", members=[])


def test_an_area_cannot_contain_what_contains_it(referential, alix):
    inner = area_create(
        actor=alix, kind="custom_area", name="Intérieur", members=[get("commune", "29019")]
    )
    outer = area_create(actor=alix, kind="custom_area", name="Extérieur", members=[inner])
    with pytest.raises(ValidationError) as error:
        area_update(actor=alix, area=inner, members=[outer])
    assert "members" in error.value.message_dict


def test_only_the_creator_coordinator_or_staff_edit_an_area(referential, claire, alix):
    from maillage.accounts.tests.factories import MembershipFactory, UserFactory

    other = UserFactory.create()
    MembershipFactory(user=other, role="coordinator")
    area = area_create(actor=claire, kind="pays", name="Pays de test", members=[])
    with pytest.raises(PermissionDenied):
        area_update(actor=other, area=area, name="Pris")
    area_update(actor=alix, area=area, members=[get("commune", "29019")])
    assert list(area.members.all()) == [get("commune", "29019")]


def test_deleting_an_area_is_reversible(referential, claire):
    from maillage.core.history import deleted_versions, restore_deleted

    area = area_create(
        actor=claire, kind="pays", name="Pays éphémère", members=[get("commune", "29019")]
    )
    pk = area.pk
    area_delete(actor=claire, area=area)
    restored = restore_deleted(
        actor=claire, version=deleted_versions(Territory).get(object_id=str(pk)), comment="retour"
    )
    assert isinstance(restored, Territory)
    assert list(restored.members.all()) == [get("commune", "29019")]


def test_codes_are_resolved_or_explained(referential):
    assert territories_from_codes("29019, 242900314") == [
        get("commune", "29019"),
        get("epci", "242900314"),
    ]
    with pytest.raises(ValidationError) as error:
        territories_from_codes("12345\nCH:99")
    assert len(error.value.message_dict["members"]) == 2


# Pages and API -------------------------------------------------------------------------------


def test_the_search_page_and_its_autocomplete(client, referential):
    response = client.get(reverse("territories:list"), {"q": "relecq"})
    assert [t.name for t in response.context["page_obj"]] == ["Le Relecq-Kerhuon"]
    suggestions = client.get(reverse("territories:suggestions"), {"q": "rel"}).content.decode()
    assert '<option value="Le Relecq-Kerhuon">' in suggestions


def test_the_territory_page_shows_parents_members_and_population(client, referential):
    brest_metropole = get("epci", "242900314")
    html = client.get(reverse("territories:detail", args=[brest_metropole.pk])).content.decode()
    assert "Le Relecq-Kerhuon" in html
    assert "166796" in html.replace("\u202f", "").replace("\xa0", "").replace(
        " ", ""
    )  # 139 926 + 15 281 + 11 589
    assert "Aucune coopération." in html and "Aucun projet." in html


def test_the_territory_page_lists_the_cooperations_and_projects_on_it(client, referential):
    """The cooperations and projects apps add their panels to the page (core.panels): the
    territories app does not know them."""
    from maillage.cooperations.tests.factories import CooperationFactory
    from maillage.projects.tests.factories import ProjectFactory

    brest_metropole = get("epci", "242900314")
    cooperation = CooperationFactory.create(title="Brest ↔ COB", visibility="public")
    cooperation.territories.add(brest_metropole)
    project = ProjectFactory.create(cooperation=cooperation, title="Chaufferie bois")
    project.territories.add(get("commune", "29235"))
    hidden = CooperationFactory.create(title="Confidentielle", visibility="restricted")
    hidden.territories.add(brest_metropole)
    html = client.get(reverse("territories:detail", args=[brest_metropole.pk])).content.decode()
    assert "Brest ↔ COB" in html and "Confidentielle" not in html
    assert "Aucune coopération." not in html
    commune = client.get(reverse("territories:detail", args=[get("commune", "29235").pk]))
    assert "Chaufferie bois" in commune.content.decode()


def test_list_and_detail_queries_stay_fixed(client, referential):
    from maillage.territories.tests.factories import grow_communes_in

    finistere = get("departement", "29")
    assert_constant_queries(
        lambda: client.get(reverse("territories:list")), lambda: grow_communes_in(finistere, 30)
    )
    assert_constant_queries(
        lambda: client.get(reverse("territories:detail", args=[finistere.pk])),
        lambda: grow_communes_in(finistere, 30),
    )
    assert_constant_queries(
        lambda: client.get("/api/v1/territories"), lambda: grow_communes_in(finistere, 30)
    )
    assert_constant_queries(
        lambda: client.get(f"/api/v1/territories/{finistere.pk}"),
        lambda: grow_communes_in(finistere, 30),
    )


def test_the_api_filters_and_describes(client, referential):
    brest_metropole = get("epci", "242900314")
    body = client.get(
        "/api/v1/territories", {"kind": "commune", "parent": brest_metropole.pk, "limit": 2}
    ).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert (
        client.get("/api/v1/territories", {"code": "29235"}).json()["items"][0]["name"]
        == "Le Relecq-Kerhuon"
    )
    assert client.get("/api/v1/territories", {"search": "relecq"}).json()["count"] == 1

    detail = client.get(f"/api/v1/territories/{get('commune', '29019').pk}").json()
    assert {"code", "name", "kind", "population", "population_year", "parents", "members"} <= set(
        detail
    )
    assert {p["name"] for p in detail["parents"]} == {"Finistère", "Brest Métropole"}
    members = client.get(f"/api/v1/territories/{brest_metropole.pk}").json()["members"]
    assert set(members[0]) == {"id", "code", "name", "kind", "population"}
    # A member's population is its own, or that of the communes under it.
    region = get("region", "53")
    finistere = client.get(f"/api/v1/territories/{region.pk}").json()["members"][0]
    assert (finistere["name"], finistere["population"]) == ("Finistère", 139926 + 15281 + 11589)


def test_who_composes_areas_through_the_api(cast, referential):
    brest = get("commune", "29019")
    expected = dict.fromkeys(cast, 403)
    expected.update(anonymous=401, coordinator=201, staff=201)
    assert_permission_matrix(
        cast,
        lambda client: client.post(
            "/api/v1/territories",
            {"kind": "pays", "name": "Pays", "members": [brest.pk]},
            content_type="application/json",
        ),
        expected,
    )


def test_who_edits_an_area_through_the_api_and_pages(cast, referential, claire):
    area = area_create(actor=claire, kind="pays", name="Pays de Claire", members=[])
    expected = dict.fromkeys(cast, 403)
    expected.update(anonymous=401, coordinator=200, staff=200)
    assert_permission_matrix(
        cast,
        lambda client: client.patch(
            f"/api/v1/territories/{area.pk}", {"name": "Pays"}, content_type="application/json"
        ),
        expected,
    )
    page = dict.fromkeys(cast, 403)
    page.update(anonymous=302, coordinator=200, staff=200)
    assert_permission_matrix(
        cast, lambda client: client.get(reverse("territories:area_update", args=[area.pk])), page
    )
    reading = dict.fromkeys(cast, 200)
    assert_permission_matrix(
        cast, lambda client: client.get(reverse("territories:detail", args=[area.pk])), reading
    )
    assert_permission_matrix(
        cast, lambda client: client.get(f"/api/v1/territories/{area.pk}"), reading
    )


def test_the_area_form_creates_from_codes_and_explains_errors(client, referential, claire):
    client.force_login(claire)
    response = client.post(
        reverse("territories:area_create"),
        {"name": "Pays de Brest", "kind": "pays", "members": "242900314\n99999", "description": ""},
    )
    assert response.status_code == 200
    assert "« 99999 » : aucun territoire" in response.content.decode()
    assert not Territory.objects.filter(name="Pays de Brest").exists()

    response = client.post(
        reverse("territories:area_create"),
        {"name": "Pays de Brest", "kind": "pays", "members": "242900314"},
    )
    area = Territory.objects.get(name="Pays de Brest")
    assert response.url == area.get_absolute_url()
    assert list(area.members.all()) == [get("epci", "242900314")]


def test_the_api_refuses_unknown_members(client, referential, alix):
    client.force_login(alix)
    response = client.post(
        "/api/v1/territories",
        {"kind": "pays", "name": "X", "members": [999999]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "members"


def test_the_history_of_an_area_is_for_those_who_edit_it(cast, referential, claire):
    area = area_create(
        actor=claire, kind="pays", name="Pays de Claire", members=[get("commune", "29019")]
    )
    area_update(actor=claire, area=area, name="Pays de Brest")
    expected = dict.fromkeys(cast, 403)
    expected.update(coordinator=200, staff=200)
    url = reverse("territories:history", args=[area.pk])
    assert_permission_matrix(cast, lambda client: client.get(url), expected)
    client = cast_client(claire)
    html = client.get(url).content.decode()
    assert "Modification du périmètre « Pays de Brest »" in html


def cast_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_who_opens_the_area_form(cast, referential):
    expected = dict.fromkeys(cast, 403)
    expected.update(anonymous=302, coordinator=200, staff=200)
    assert_permission_matrix(
        cast, lambda client: client.get(reverse("territories:area_create")), expected
    )
