"""News: from the draft to the publication, who writes and who reads them (pages, API, feed,
search), and the home page that shows what is happening."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.models import Document
from maillage.cooperations.tests.factories import CooperationFactory
from maillage.core import search
from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.governance.tests.factories import meeting_in
from maillage.portal import services
from maillage.portal.enums import NewsStatus
from maillage.portal.models import News


def write(cooperation, actor, title="Signature du contrat", publish=True, **fields):
    news = services.news_create(
        actor=actor, cooperation=cooperation, title=title, summary="Le contrat est signé.", **fields
    )
    return services.news_publish(actor=actor, news=news) if publish else news


# Services -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_is_published_then_withdrawn(cooperation, claire):
    news = write(cooperation, claire, publish=False)
    assert news.status == NewsStatus.DRAFT and news.published_at is None
    services.news_publish(actor=claire, news=news)
    assert news.status == NewsStatus.PUBLISHED and news.published_at is not None
    with pytest.raises(Conflict):
        services.news_publish(actor=claire, news=news)
    services.news_withdraw(actor=claire, news=news)
    news.refresh_from_db()
    assert news.status == NewsStatus.DRAFT and news.published_at is None
    with pytest.raises(Conflict):
        services.news_withdraw(actor=claire, news=news)


@pytest.mark.django_db
def test_only_coordinators_write_a_cooperations_news_and_staff_the_platforms(
    cooperation, claire, oscar, nadia, alix
):
    for user in (oscar, nadia):
        with pytest.raises(PermissionDenied):
            write(cooperation, user)
    with pytest.raises(PermissionDenied):
        write(None, claire)
    assert write(None, alix).cooperation is None
    assert News.objects.count() == 1


@pytest.mark.django_db
def test_attachments_belong_to_the_news_cooperation_and_an_image_is_described(
    cooperation, claire, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    other = CooperationFactory.create()
    foreign = Document.objects.create(cooperation=other, kind=DocumentKind.REFERENCE, title="X")
    with pytest.raises(ValidationError) as refused:
        write(cooperation, claire, documents=[foreign])
    assert "documents" in refused.value.message_dict
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
        b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82"
    )
    with pytest.raises(ValidationError) as refused:
        write(cooperation, claire, image=SimpleUploadedFile("a.png", png))
    assert "image_description" in refused.value.message_dict
    assert News.objects.count() == 0  # nothing half-written


# Who reads ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_news_is_read_by_whoever_reads_its_cooperation_a_draft_by_its_writers(
    cooperation, claire, cast
):
    published = write(cooperation, claire)  # a partners-only cooperation
    draft = write(cooperation, claire, title="Brouillon", publish=False)
    members = {"observer", "funder", "project_contact", "body_member", "coordinator", "staff"}
    assert_permission_matrix(
        cast,
        lambda client: client.get(published.get_absolute_url()),
        {role: 200 if role in members else 404 for role in cast},
    )
    assert_permission_matrix(
        cast,
        lambda client: client.get(draft.get_absolute_url()),
        {role: 200 if role in {"coordinator", "staff"} else 404 for role in cast},
    )
    assert_permission_matrix(
        cast,
        lambda client: client.get(f"/api/v1/news/{draft.pk}"),
        {role: 200 if role in {"coordinator", "staff"} else 404 for role in cast},
    )


@pytest.mark.django_db
def test_writing_pages_are_for_the_writers(cooperation, claire, cast):
    news = write(cooperation, claire)
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "observer": 403,
        "funder": 403,
        "project_contact": 403,
        "body_member": 403,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(
        cast, lambda client: client.get(f"/actualites/{news.pk}/modifier/"), expected
    )
    assert_permission_matrix(
        cast,
        lambda client: client.get(f"/actualites/ajouter/?cooperation={cooperation.slug}"),
        expected,
    )


@pytest.mark.django_db
def test_the_page_writes_a_draft_and_publishes_it(cooperation, claire):
    client = Client()
    client.force_login(claire)
    response = client.post(
        f"/actualites/ajouter/?cooperation={cooperation.slug}",
        {"title": "Comité de suivi", "summary": "Le comité s’est réuni.", "body": "Texte"},
    )
    news = News.objects.get()
    assert response.status_code == 302 and news.status == NewsStatus.DRAFT
    client.post(f"/actualites/{news.pk}/publier/")
    news.refresh_from_db()
    assert news.status == NewsStatus.PUBLISHED
    bad = client.post(f"/actualites/ajouter/?cooperation={cooperation.slug}", {"title": ""})
    assert bad.status_code == 200 and {"title", "summary"} <= set(bad.context["form"].errors)
    assert News.objects.count() == 1


@pytest.mark.django_db
def test_the_api_writes_reads_and_refuses(cooperation, claire, oscar):
    coordinator, observer = Client(), Client()
    coordinator.force_login(claire)
    observer.force_login(oscar)
    payload = {"cooperation_id": cooperation.pk, "title": "Signature", "summary": "Signé."}
    assert (
        observer.post("/api/v1/news", payload, content_type="application/json").status_code == 403
    )
    created = coordinator.post("/api/v1/news", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert coordinator.post(f"/api/v1/news/{pk}/publish").json()["status"] == "published"
    assert coordinator.post(f"/api/v1/news/{pk}/publish").status_code == 409
    listed = observer.get("/api/v1/news", {"cooperation": cooperation.pk}).json()
    assert [item["title"] for item in listed["items"]] == ["Signature"]
    assert coordinator.patch(
        f"/api/v1/news/{pk}", {"title": ""}, content_type="application/json"
    ).status_code in (400, 422)
    other = CooperationFactory.create()
    foreign = Document.objects.create(cooperation=other, kind=DocumentKind.REFERENCE, title="X")
    refused = coordinator.patch(
        f"/api/v1/news/{pk}", {"document_ids": [foreign.pk]}, content_type="application/json"
    )
    assert refused.status_code == 400 and "document_ids" in str(refused.json())
    assert coordinator.delete(f"/api/v1/news/{pk}").status_code == 204
    assert not News.objects.exists()


@pytest.mark.django_db
def test_page_and_api_list_the_same_news(public, claire):
    for n in range(3):
        write(public, claire, title=f"Nouvelle {n}")
    write(public, claire, title="Brouillon", publish=False)
    page = Client().get("/actualites/").content.decode()
    api = Client().get("/api/v1/news").json()
    assert api["count"] == 3
    assert all(item["title"] in page for item in api["items"])
    assert "Brouillon" not in page


@pytest.mark.django_db
def test_the_feed_carries_the_public_news_only(public, claire):
    write(public, claire, title="Publique")
    write(public, claire, title="Brouillon", publish=False)
    hidden = CooperationFactory.create(slug="cachee", visibility=Visibility.PARTNERS)
    write(hidden, None, title="Réservée")
    feed = Client().get("/actualites/flux.atom")
    text = feed.content.decode()
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Publique" in text and "Brouillon" not in text and "Réservée" not in text
    assert Client().get("/actualites/flux.atom?cooperation=cachee").status_code == 404
    assert (
        "Publique"
        in Client().get(f"/actualites/flux.atom?cooperation={public.slug}").content.decode()
    )


@pytest.mark.django_db
def test_the_search_finds_published_news_only(public, claire, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write(public, claire, title="Inauguration de la chaufferie")
        write(public, claire, title="Chaufferie : brouillon", publish=False)
    visitor = [hit.entry.title for hit in search.search(AnonymousUser(), "chaufferie").hits]
    assert visitor == ["Inauguration de la chaufferie"]
    assert len(search.search(claire, "chaufferie").hits) == 2


# The home page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_tells_what_is_happening(public, claire):
    write(public, claire, title="Signature du contrat")
    meeting_in(public, days=10, title="Matinée santé", visibility=Visibility.PUBLIC)
    meeting_in(public, days=10, title="Réunion restreinte", visibility=Visibility.RESTRICTED)
    Document.objects.create(
        cooperation=public, kind=DocumentKind.REFERENCE, title="Étude publique", visibility="public"
    )
    page = Client().get("/").content.decode()
    for shown in ("Signature du contrat", "Matinée santé", "Étude publique"):
        assert shown in page
    assert "Réunion restreinte" not in page


@pytest.mark.django_db
def test_the_home_page_and_the_news_list_keep_their_queries(public, claire):
    client = Client()

    def grow():
        for n in range(4):
            other = CooperationFactory.create(visibility=Visibility.PUBLIC)
            write(other, None, title=f"Nouvelle {n}")
            meeting_in(other, days=n + 1, visibility=Visibility.PUBLIC)
            Document.objects.create(
                cooperation=other, kind=DocumentKind.REFERENCE, title=f"D{n}", visibility="public"
            )

    write(public, claire)
    meeting_in(public, days=3, visibility=Visibility.PUBLIC)
    assert_constant_queries(lambda: client.get("/"), grow)
    assert_constant_queries(lambda: client.get("/actualites/"), grow)


@pytest.mark.django_db
def test_a_cooperations_page_shows_its_news(public, claire):
    write(public, claire, title="Signature du contrat")
    page = Client().get(public.get_absolute_url()).content.decode()
    assert "Signature du contrat" in page
    published = News.objects.get().published_at
    assert published is not None and published <= timezone.now() + timedelta(seconds=1)
