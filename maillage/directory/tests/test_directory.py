import functools
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from maillage.core.history import history_for
from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.directory.models import Organisation, Person, Position
from maillage.directory.services import (
    LikelyDuplicate,
    organisation_create,
    organisation_update,
    person_create,
    person_erase,
    person_export,
    person_update,
    position_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def brest(db):
    return organisation_create(actor=None, name="Brest métropole", kind="epci", siren="242900314")


@pytest.fixture
def someone(brest, alix):
    person = person_create(
        actor=None,
        first_name="Yann",
        last_name="Le Gall",
        email="yann@exemple.test",
        phone="02 98 00 00 00",
    )
    position_add(actor=None, person=person, organisation=brest, title="Président", kind="elected")
    return person


# Organisations ---------------------------------------------------------------------------------


def test_a_siren_is_checked_with_its_key(claire):
    with pytest.raises(ValidationError) as error:
        organisation_create(actor=claire, name="X", kind="epci", siren="242900315")
    assert "siren" in error.value.message_dict
    with pytest.raises(ValidationError):
        organisation_create(actor=claire, name="X", kind="epci", siren="24290031")
    assert not Organisation.objects.exists()


def test_likely_duplicates_are_flagged_until_confirmed(brest, claire):
    with pytest.raises(LikelyDuplicate) as same_siren:
        organisation_create(actor=claire, name="Métropole de Brest", kind="epci", siren="242900314")
    assert same_siren.value.duplicates == [brest]
    with pytest.raises(LikelyDuplicate):
        organisation_create(actor=claire, name="BREST  METROPOLE", kind="epci")
    organisation_create(actor=claire, name="Brest Métropole", kind="epci", confirm_duplicate=True)
    assert Organisation.objects.count() == 2


def test_an_update_does_not_flag_the_organisation_itself(brest, claire):
    organisation_update(actor=claire, organisation=brest, website="https://www.brest.fr")
    assert history_for(brest)[0].actor == str(claire)


@pytest.mark.parametrize("person", ["etienne", "paula", "fanny", "oscar", "nadia"])
def test_only_coordinators_and_staff_manage_organisations(request, person, brest):
    with pytest.raises(PermissionDenied):
        organisation_create(actor=request.getfixturevalue(person), name="Adeupa", kind="agency")
    with pytest.raises(PermissionDenied):
        organisation_update(actor=request.getfixturevalue(person), organisation=brest, name="Autre")


def test_organisation_pages_are_public_but_people_are_not(client, someone, brest, oscar):
    html = client.get(reverse("directory:organisation_detail", args=[brest.pk])).content.decode()
    assert "Brest métropole" in html
    assert "Le Gall" not in html
    assert "réservées aux membres" in html
    client.force_login(oscar)
    assert (
        "Le Gall"
        in client.get(reverse("directory:organisation_detail", args=[brest.pk])).content.decode()
    )


def test_the_organisation_api_filters_by_search_and_siren(client, brest):
    organisation_create(actor=None, name="Adeupa Brest-Bretagne", kind="agency")
    assert (
        client.get("/api/v1/organisations", {"siren": "242900314"}).json()["items"][0]["name"]
        == "Brest métropole"
    )
    assert client.get("/api/v1/organisations", {"search": "adeupa"}).json()["count"] == 1
    assert client.get(f"/api/v1/organisations/{brest.pk}").json()["positions"] is None


def test_the_organisation_form_warns_of_duplicates_then_accepts_confirmation(client, claire, brest):
    client.force_login(claire)
    url = reverse("directory:organisation_create")
    data = {
        "name": "Brest Métropole",
        "kind": "epci",
        "siren": "",
        "address": "",
        "website": "",
        "territory_code": "",
    }
    response = client.post(url, data)
    assert "Cette structure existe peut-être déjà" in response.content.decode()
    assert Organisation.objects.count() == 1
    response = client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_the_organisation_form_takes_a_territory_code(client, claire, referential):
    client.force_login(claire)
    client.post(
        reverse("directory:organisation_create"),
        {
            "name": "Adeupa",
            "kind": "agency",
            "territory_code": "242900314",
            "address": "",
            "website": "",
            "siren": "",
        },
    )
    territory = Organisation.objects.get(name="Adeupa").territory
    assert territory is not None
    assert territory.code == "242900314"


def test_the_organisation_list_queries_stay_fixed(client, brest):
    import itertools

    numbers = itertools.count()

    def grow():
        for n in itertools.islice(numbers, 10):
            organisation_create(actor=None, name=f"Association n° {n}", kind="association")

    assert_constant_queries(lambda: client.get(reverse("directory:organisation_list")), grow)
    assert_constant_queries(lambda: client.get("/api/v1/organisations"), grow)


# People -----------------------------------------------------------------------------------------

PEOPLE_READERS = {
    "anonymous": 404,
    "outsider": 404,
    "observer": 200,
    "funder": 200,
    "project_contact": 200,
    "body_member": 200,
    "coordinator": 200,
    "staff": 200,
}


def test_who_reads_people_through_the_api(cast, someone):
    api = {**PEOPLE_READERS, "anonymous": 401}
    assert_permission_matrix(cast, lambda client: client.get(f"/api/v1/people/{someone.pk}"), api)
    assert_permission_matrix(
        cast, lambda client: client.get("/api/v1/people"), {**api, "outsider": 404}
    )


def test_who_reads_people_pages(cast, someone):
    page = {**PEOPLE_READERS, "anonymous": 302}
    assert_permission_matrix(
        cast, lambda client: client.get(reverse("directory:person_detail", args=[someone.pk])), page
    )
    listing = {**page, "outsider": 403}
    assert_permission_matrix(
        cast, lambda client: client.get(reverse("directory:person_list")), listing
    )


def test_who_edits_a_person(cast, someone):
    expected = {
        **PEOPLE_READERS,
        "anonymous": 401,
        "observer": 403,
        "funder": 403,
        "project_contact": 403,
        "body_member": 403,
    }
    assert_permission_matrix(
        cast,
        lambda client: client.patch(
            f"/api/v1/people/{someone.pk}", {"phone": "01"}, content_type="application/json"
        ),
        expected,
    )


def test_a_person_edits_their_own_contact_details_but_nothing_else(paula, oscar):
    own = person_create(actor=None, first_name="Paula", last_name="Porteuse", user=paula)
    person_update(actor=paula, person=own, phone="06 00 00 00 00")
    assert Person.objects.get(pk=own.pk).phone == "06 00 00 00 00"
    with pytest.raises(PermissionDenied):
        person_update(actor=paula, person=own, user=oscar)
    other = person_create(actor=None, first_name="Autre", last_name="Personne")
    with pytest.raises(PermissionDenied):
        person_update(actor=paula, person=other, phone="06")


def test_positions_must_end_after_they_start(brest, someone):
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        position_add(
            actor=None,
            person=someone,
            organisation=brest,
            title="Vice-président",
            kind="elected",
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2019, 1, 1),
        )
    assert "end_date" in error.value.message_dict
    assert Position.objects.count() == 1


def test_the_person_list_queries_stay_fixed(client, claire, someone, brest):
    client.force_login(claire)

    def grow():
        for n in range(8):
            person = person_create(actor=None, first_name=f"P{n}", last_name="Test")
            position_add(
                actor=None, person=person, organisation=brest, title="Membre", kind="other"
            )

    assert_constant_queries(lambda: client.get(reverse("directory:person_list")), grow)


# Data protection ------------------------------------------------------------------------------------


def test_staff_export_everything_about_a_person(someone, alix, claire):
    person_update(actor=claire, person=someone, phone="02 98 11 11 11")
    data = json.loads(person_export(actor=alix, person=someone))
    assert data["person"]["last_name"] == "Le Gall"
    assert data["positions"][0]["organisation"] == "Brest métropole"
    assert len(data["history"]) == 2
    with pytest.raises(PermissionDenied):
        person_export(actor=claire, person=someone)


def test_erasing_removes_the_personal_data_from_the_record_and_its_history(someone, alix, claire):
    person_update(actor=claire, person=someone, phone="02 98 11 11 11")
    person_erase(actor=alix, person=someone)

    someone.refresh_from_db()
    assert (someone.last_name, someone.email, someone.phone) == ("", "", "")
    assert someone.erased_at is not None
    for version in Version.objects.get_for_object(someone):
        assert "Le Gall" not in version.serialized_data
        assert "yann@exemple.test" not in version.serialized_data
        assert "02 98" not in version.serialized_data
    history = history_for(someone)
    assert [entry.comment for entry in history] == [
        "Effacement des données personnelles",
        "Modification d’une fiche personne",
        "Création d’une fiche personne",
    ]
    assert history[1].actor == str(claire)
    assert someone.positions.get().title == "Président"


def test_an_erased_name_is_in_no_version_of_anything(someone, alix, cooperation):
    """Every stored copy: the folded search name, and the titles of the versions of the
    records that name the person (their position here, a working-group seat, a mandate)."""
    from maillage.cooperations import services as cooperation_services
    from maillage.governance import services as governance_services

    group = cooperation_services.working_group_create(
        actor=None, cooperation=cooperation, name="Énergie"
    )
    cooperation_services.working_group_member_add(actor=None, group=group, person=someone)
    body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other"
    )
    governance_services.body_member_add(actor=None, body=body, person=someone, position="member")
    assert Version.objects.filter(object_repr__icontains="le gall").count() >= 3
    person_erase(actor=alix, person=someone)
    for version in Version.objects.all():
        for text in (version.serialized_data.lower(), version.object_repr.lower()):
            assert "le gall" not in text and "yann" not in text, version.object_repr


def test_only_staff_erase(someone, claire):
    with pytest.raises(PermissionDenied):
        person_erase(actor=claire, person=someone)


def test_erasing_from_the_page_asks_for_confirmation(client, alix, someone):
    client.force_login(alix)
    url = reverse("directory:person_erase", args=[someone.pk])
    assert "Effacer définitivement" in client.get(url).content.decode()
    assert Person.objects.get(pk=someone.pk).erased_at is None
    client.post(url)
    assert Person.objects.get(pk=someone.pk).erased_at is not None
    export = client.get(reverse("directory:person_export", args=[someone.pk]))
    assert "Le Gall" not in export.content.decode()


def test_the_export_and_erase_api_are_for_staff(cast, someone):
    expected = dict.fromkeys(cast, 403)
    expected.update(anonymous=401, outsider=404, staff=200)
    assert_permission_matrix(
        cast, lambda client: client.get(f"/api/v1/people/{someone.pk}/export"), expected
    )


def test_who_reads_an_organisation_s_history(cast, brest, claire):
    organisation_update(actor=claire, organisation=brest, website="https://www.brest.fr")
    expected = dict.fromkeys(cast, 403)
    expected.update(anonymous=403, coordinator=200, staff=200)
    url = reverse("directory:organisation_history", args=[brest.pk])
    assert_permission_matrix(cast, lambda client: client.get(url), expected)


def test_who_reads_a_person_s_history(cast, someone):
    expected = {
        **PEOPLE_READERS,
        "anonymous": 302,
        "observer": 403,
        "funder": 403,
        "project_contact": 403,
        "body_member": 403,
    }
    url = reverse("directory:person_history", args=[someone.pk])
    assert_permission_matrix(cast, lambda client: client.get(url), expected)


def test_the_api_refuses_an_unknown_territory_and_writes_nothing(client, claire):
    client.force_login(claire)
    response = client.post(
        "/api/v1/organisations",
        {"name": "Adeupa", "kind": "agency", "territory_id": 999999},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "territory_id"
    assert not Organisation.objects.filter(name="Adeupa").exists()


def test_who_opens_the_directory_editing_pages(cast, brest, someone):
    managers = dict.fromkeys(cast, 403)
    managers.update(anonymous=302, coordinator=200, staff=200)
    for url in [
        reverse("directory:organisation_create"),
        reverse("directory:organisation_update", args=[brest.pk]),
        reverse("directory:person_create"),
        reverse("directory:person_update", args=[someone.pk]),
    ]:
        expected = (
            managers
            if "personnes" not in url or "nouvelle" in url
            else {**managers, "outsider": 404}
        )
        assert_permission_matrix(cast, functools.partial(Client.get, path=url), expected)
    staff_only = {**managers, "coordinator": 403, "outsider": 404}
    assert_permission_matrix(
        cast,
        lambda client: client.get(reverse("directory:person_erase", args=[someone.pk])),
        staff_only,
    )


def test_only_managers_add_positions(cast, brest, someone):
    def add(client):
        return client.post(
            reverse("directory:position_add", args=[someone.pk]),
            {"organisation": brest.pk, "title": "Membre", "kind": "other"},
        )

    expected = dict.fromkeys(cast, 403)
    expected.update(anonymous=302, outsider=404, coordinator=302, staff=302)
    assert_permission_matrix(cast, add, expected)
    assert Position.objects.filter(title="Membre").count() == 2


def test_who_writes_organisations_and_people_through_the_api(cast, brest):
    import itertools

    numbers = itertools.count()
    managers = dict.fromkeys(cast, 403)
    managers.update(anonymous=401, coordinator=201, staff=201)

    def create_organisation(client):
        return client.post(
            "/api/v1/organisations",
            {"name": f"Agence n° {next(numbers)}", "kind": "agency"},
            content_type="application/json",
        )

    def create_person(client):
        return client.post(
            "/api/v1/people",
            {"first_name": "Ana", "last_name": "Test"},
            content_type="application/json",
        )

    assert_permission_matrix(cast, create_organisation, managers)
    assert_permission_matrix(cast, create_person, managers)
    updating = {**managers, "coordinator": 200, "staff": 200}
    assert_permission_matrix(
        cast,
        lambda client: client.patch(
            f"/api/v1/organisations/{brest.pk}",
            {"address": "Brest"},
            content_type="application/json",
        ),
        updating,
    )
    assert Organisation.objects.filter(name__startswith="Agence n°").count() == 2


def test_a_logo_is_an_image_of_reasonable_size(client, claire):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(claire)
    data = {
        "name": "Adeupa",
        "kind": "agency",
        "siren": "",
        "address": "",
        "website": "",
        "territory_code": "",
    }
    script = SimpleUploadedFile("logo.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("directory:organisation_create"), {**data, "logo": script})
    assert response.context["form"].errors["logo"]
    huge = SimpleUploadedFile("logo.png", b"0" * (2 * 1024 * 1024 + 1), content_type="image/png")
    response = client.post(reverse("directory:organisation_create"), {**data, "logo": huge})
    assert "2 Mo" in str(response.context["form"].errors["logo"])
    assert not Organisation.objects.exists()
