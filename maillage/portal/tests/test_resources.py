"""The resource centre: resources of cooperations and of organisations, the cooperations'
documents listed beside them without a copy, each as the reader may read it."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.models import Document
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.core import search
from maillage.core.enums import Visibility
from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.portal import services
from maillage.portal.models import Resource

LIBRARY = "/ressources/"


def add(cooperation, actor, title="Guide des coopérations", **fields):
    fields.setdefault("url", "https://exemple.test/guide")
    fields.setdefault("kind", "tool")
    fields.setdefault("date", date(2017, 3, 27))
    return services.resource_create(actor=actor, cooperation=cooperation, title=title, **fields)


@pytest.mark.django_db
def test_a_resource_is_a_link_or_a_file_and_outside_a_cooperation_public(cooperation, claire):
    with pytest.raises(ValidationError) as refused:
        add(cooperation, claire, url="")
    assert "url" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add(None, claire, visibility=Visibility.PARTNERS)
    assert "visibility" in refused.value.message_dict
    assert add(None, claire).visibility == Visibility.PUBLIC
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_who_writes_resources(cooperation, claire, oscar, nadia, alix):
    for user in (oscar, nadia):
        with pytest.raises(PermissionDenied):
            add(cooperation, user)
    with pytest.raises(PermissionDenied):
        add(None, nadia)  # an organisation's: the staff and the coordinators
    add(None, alix)
    add(cooperation, claire)
    assert Resource.objects.count() == 2


@pytest.mark.django_db
def test_the_library_lists_resources_and_documents_as_each_reader_may_read_them(
    public, claire, nadia, oscar
):
    add(public, claire, title="Guide public", visibility=Visibility.PUBLIC)
    add(public, claire, title="Guide des partenaires", visibility=Visibility.PARTNERS)
    add(
        None,
        claire,
        title="Repères de Cap Rural",
        organisation=OrganisationFactory(name="Cap Rural"),
    )
    Document.objects.create(
        cooperation=public, kind=DocumentKind.STUDY, title="Étude publique", visibility="public"
    )
    Document.objects.create(
        cooperation=public, kind=DocumentKind.STUDY, title="Étude réservée", visibility="partners"
    )

    def titles(user, **params):
        client = Client()
        if user is not None:
            client.force_login(user)
        page = client.get(LIBRARY, params).content.decode()
        api_names = {"nature": "kind", "q": "search"}  # the page's French names, the API's
        api = client.get(
            "/api/v1/resources", {api_names.get(k, k): v for k, v in params.items()}
        ).json()
        listed = [item["title"] for item in api["items"]]
        assert all(title in page for title in listed)
        return sorted(listed)

    public_titles = ["Guide public", "Repères de Cap Rural", "Étude publique"]
    assert titles(None) == sorted(public_titles)
    assert titles(nadia) == sorted(public_titles)
    assert titles(oscar) == sorted([*public_titles, "Guide des partenaires", "Étude réservée"])
    assert titles(oscar, nature="study") == ["Étude publique", "Étude réservée"]
    assert titles(None, q="guide") == ["Guide public"]
    assert titles(None, cooperation=public.pk) == ["Guide public", "Étude publique"]


@pytest.mark.django_db
def test_a_resource_and_its_file_open_to_its_readers_only(
    cooperation, claire, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    resource = add(
        cooperation,
        claire,
        url="",
        file=SimpleUploadedFile("note.txt", b"Compte rendu du comite"),
        visibility=Visibility.PARTNERS,
    )
    members = {"observer", "funder", "project_contact", "body_member", "coordinator", "staff"}
    expected = {role: 200 if role in members else 404 for role in cast}
    assert_permission_matrix(cast, lambda client: client.get(resource.get_absolute_url()), expected)
    assert_permission_matrix(
        cast, lambda client: client.get(f"/ressources/{resource.pk}/fichier/"), expected
    )
    assert_permission_matrix(
        cast,
        lambda client: client.get(f"/ressources/{resource.pk}/modifier/"),
        {
            "anonymous": 302,
            "outsider": 404,
            "observer": 403,
            "funder": 403,
            "project_contact": 403,
            "body_member": 403,
            "coordinator": 200,
            "staff": 200,
        },
    )


@pytest.mark.django_db
def test_the_search_reads_the_words_of_a_resources_file(
    public, claire, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        add(
            public,
            claire,
            title="Compte rendu",
            url="",
            file=SimpleUploadedFile("cr.txt", "La méthanisation agricole".encode()),
            visibility=Visibility.PUBLIC,
        )
    hits = search.search(AnonymousUser(), "methanisation").hits
    assert [hit.entry.title for hit in hits] == ["Compte rendu"]


@pytest.mark.django_db
def test_the_api_adds_a_link_and_refuses_bad_input(public, claire, oscar):
    coordinator, observer = Client(), Client()
    coordinator.force_login(claire)
    observer.force_login(oscar)
    payload = {
        "cooperation_id": public.pk,
        "title": "Guide",
        "kind": "tool",
        "url": "https://exemple.test/guide",
        "date": "2017-03-27",
    }
    assert (
        observer.post("/api/v1/resources", payload, content_type="application/json").status_code
        == 403
    )
    created = coordinator.post("/api/v1/resources", payload, content_type="application/json")
    assert (
        created.status_code == 201 and created.json()["visibility"] == "partners"
    )  # the cautious default
    for bad in ({"url": "javascript:alert(1)"}, {"kind": "secret"}, {"territory_ids": [999999]}):
        response = coordinator.post(
            "/api/v1/resources", {**payload, **bad}, content_type="application/json"
        )
        assert response.status_code in (400, 422), bad
    assert Resource.objects.count() == 1
    resource_url = f"/api/v1/resources/{created.json()['id']}"
    assert observer.delete(resource_url).status_code == 403  # a member who may only read
    assert Client().delete(resource_url).status_code == 401
    assert Resource.objects.count() == 1
    assert coordinator.delete(resource_url).status_code == 204


@pytest.mark.django_db
def test_the_library_keeps_its_queries_as_it_grows(public, claire):
    client = Client()
    add(public, claire, visibility=Visibility.PUBLIC)
    Document.objects.create(cooperation=public, kind="study", title="Étude", visibility="public")

    def grow():
        for n in range(5):
            other = CooperationFactory.create(visibility=Visibility.PUBLIC)
            add(other, None, title=f"Guide {n}", visibility=Visibility.PUBLIC)
            Document.objects.create(
                cooperation=other, kind="study", title=f"É{n}", visibility="public"
            )

    assert_constant_queries(lambda: client.get(LIBRARY), grow)
    assert_constant_queries(lambda: client.get("/api/v1/resources"), grow)


@pytest.mark.django_db
def test_an_organisation_shows_the_resources_it_wrote(claire):
    cap_rural = OrganisationFactory.create(name="Cap Rural")
    add(None, claire, title="Repères de Cap Rural", organisation=cap_rural)
    page = Client().get(cap_rural.get_absolute_url()).content.decode()
    assert "Repères de Cap Rural" in page
