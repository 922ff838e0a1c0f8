"""The forum: spaces, threads and replies, quoting, the edit window, moderation and reports,
subscriptions that notify, unread markers and the solved mark — services, pages and API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.models import Cooperation
from maillage.cooperations.tests.factories import CooperationFactory
from maillage.core import search
from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.core.history import deleted_versions, restore_deleted
from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.forum import selectors, services
from maillage.forum.models import Post, ReadMark, Space, Subscription, Thread
from maillage.notifications.enums import NotificationKind
from maillage.notifications.models import Notification


def reply(thread, actor, body="Oui, à Carhaix.", **fields):
    return services.post_reply(actor=actor, thread=thread, body=body, **fields)


def unread_of(user, space):
    threads = selectors.thread_list(user, space, selectors.ThreadFilters())
    return {thread.title: getattr(thread, "unread") for thread in threads}  # noqa: B009


# Spaces -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinators_open_their_cooperations_spaces_and_staff_the_platforms(
    public, claire, etienne, alix
):
    with pytest.raises(PermissionDenied):
        services.space_create(actor=etienne, cooperation=public, title="Mobilités")
    with pytest.raises(PermissionDenied):
        services.space_create(actor=claire, cooperation=None, title="Transfrontalier")
    platform = services.space_create(actor=alix, cooperation=None, title="Transfrontalier")
    assert platform.visibility == Visibility.PUBLIC


@pytest.mark.django_db
def test_a_space_keeps_to_its_cooperation_and_the_platforms_is_public(public, claire, alix):
    other = CooperationFactory.create()
    group = cooperation_services.working_group_create(
        actor=None, cooperation=other, name="Ailleurs"
    )
    with pytest.raises(ValidationError) as refused:
        services.space_create(
            actor=claire, cooperation=public, title="Mobilités", working_group=group
        )
    assert "working_group" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.space_create(
            actor=alix, cooperation=None, title="Privé", visibility=Visibility.PARTNERS
        )
    assert not Space.objects.exists()


# Threads and replies ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_thread_opens_with_its_first_post_followed_and_read_by_its_author(thread, etienne):
    assert thread.posts_count == 1 and thread.last_poster == etienne
    assert thread.posts.get().body == "Qui connaît un centre ?"
    assert Subscription.objects.filter(user=etienne, thread=thread).exists()
    assert unread_of(etienne, thread.space) == {"Accès aux soins": False}


@pytest.mark.django_db
def test_an_empty_post_is_refused_and_nothing_written(space, etienne, thread):
    with pytest.raises(ValidationError):
        services.thread_create(actor=etienne, space=space, title="Vide", body="   ")
    with pytest.raises(ValidationError):
        reply(thread, etienne, body="\n")
    assert Thread.objects.count() == 1 and Post.objects.count() == 1


@pytest.mark.django_db
def test_a_reply_counts_notifies_the_subscribers_and_marks_the_thread_unread(
    thread, etienne, oscar, nadia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(thread, oscar)
    thread.refresh_from_db()
    assert thread.posts_count == 2 and thread.last_poster == oscar
    assert thread.last_post_at == answer.created_at
    notified = Notification.objects.get()
    assert (notified.user, notified.kind) == (etienne, NotificationKind.FORUM)
    assert notified.url == answer.get_absolute_url()
    # The replier follows it now; the author has a new reply to read.
    assert Subscription.objects.filter(user=oscar, thread=thread).exists()
    assert unread_of(etienne, thread.space) == {"Accès aux soins": True}
    assert unread_of(oscar, thread.space) == {"Accès aux soins": False}
    # Anyone signed in may write in a public space; the next reply tells both.
    reply(thread, nadia)
    assert {n.user for n in Notification.objects.filter(pk__gt=notified.pk)} == {etienne, oscar}


@pytest.mark.django_db
def test_a_subscriber_who_lost_access_is_not_told(public, claire, etienne, nadia, members_space):
    first = services.thread_create(
        actor=claire, space=members_space, title="Budget", body="Les chiffres."
    )
    Subscription.objects.create(user=nadia, thread=first)  # subscribed when it was public
    reply(first, etienne)
    assert list(Notification.objects.values_list("user__email", flat=True)) == [claire.email]


@pytest.mark.django_db
def test_a_mention_tells_the_named_reader_once(space, members_space, claire, etienne, oscar, nadia):
    nadia.first_name, nadia.last_name = "Nadia", "Nour"
    nadia.save()
    etienne.last_name = "Élu"
    etienne.save()
    thread = services.thread_create(
        actor=oscar, space=space, title="Santé", body="@nadia nour et @Étienne Élu, un avis ?"
    )
    told = {n.user: n.title for n in Notification.objects.all()}
    assert set(told) == {nadia, etienne}
    assert told[nadia].endswith("vous mentionne dans « Santé »")
    # A follower who is mentioned is told once, of the mention.
    services.subscribe(actor=etienne, thread=thread)
    Notification.objects.all().delete()
    reply(thread, claire, body="Merci @Étienne Élu.")
    told_now = {(n.user.pk, "mentionne" in n.title) for n in Notification.objects.all()}
    assert told_now == {(etienne.pk, True), (oscar.pk, False)}
    # In a members' space, someone who may not read it is not told.
    Notification.objects.all().delete()
    services.thread_create(
        actor=claire, space=members_space, title="Budget", body="@Nadia Nour regarde ça."
    )
    assert not Notification.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("cooperation_visibility", ["public", "partners", "restricted"])
@pytest.mark.parametrize("space_visibility", ["public", "partners", "restricted"])
def test_the_readers_notified_are_those_the_permission_lets_read(
    cast, cooperation, claire, cooperation_visibility, space_visibility
):
    from maillage.core.enums import Visibility as V
    from maillage.forum import permissions

    cooperation.visibility = cooperation_visibility
    cooperation.save()
    narrow = V.narrowest(cooperation_visibility, space_visibility)
    space = services.space_create(
        actor=claire, cooperation=cooperation, title="Espace", visibility=narrow
    )
    users = [user for user in cast.values() if user is not None]
    expected = {user.pk for user in users if permissions.can_read_space(user, space)}
    assert set(selectors.space_readers(space).values_list("pk", flat=True)) == expected


@pytest.mark.django_db
def test_a_quote_is_a_visible_post_of_the_same_thread(space, thread, etienne, oscar):
    first = thread.posts.get()
    quoted = reply(thread, oscar, quote=first)
    assert quoted.quote == first
    other = services.thread_create(actor=oscar, space=space, title="Autre", body="Autre sujet.")
    with pytest.raises(ValidationError):
        reply(thread, oscar, quote=other.posts.get())
    services.post_hide(actor=UserFactory.create(is_staff=True), post=first, reason="Hors sujet")
    with pytest.raises(ValidationError):
        reply(thread, oscar, quote=first)


@pytest.mark.django_db
def test_the_author_edits_within_the_window_only(thread, etienne, oscar, settings):
    post = thread.posts.get()
    services.post_edit(actor=etienne, post=post, body="Qui connaît une maison de santé ?")
    assert post.edited_at is not None
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=oscar, post=post, body="Pas à moi.")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    post.refresh_from_db()
    with pytest.raises(Conflict):
        services.post_edit(actor=etienne, post=post, body="Trop tard.")
    post.refresh_from_db()
    assert post.body == "Qui connaît une maison de santé ?"


# Moderation -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moderators_hide_lock_pin_and_move(thread, claire, etienne, members_space):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=etienne, post=post, reason="Non")
    with pytest.raises(ValidationError):
        services.post_hide(actor=claire, post=post, reason=" ")
    services.post_hide(actor=claire, post=post, reason="Propos déplacés")
    assert post.hidden and post.hidden_by == claire
    with pytest.raises(Conflict):
        services.post_hide(actor=claire, post=post, reason="Encore")
    services.post_show(actor=claire, post=post)
    assert not post.hidden

    with pytest.raises(PermissionDenied):
        services.thread_moderate(actor=etienne, thread=thread, locked=True)
    services.thread_moderate(actor=claire, thread=thread, locked=True, pinned=True)
    with pytest.raises(Conflict):
        reply(thread, etienne)
    services.thread_moderate(actor=claire, thread=thread, space=members_space)
    thread.refresh_from_db()
    assert (thread.space, thread.locked, thread.pinned) == (members_space, True, True)


@pytest.mark.django_db
def test_a_thread_moves_only_between_spaces_one_moderates(thread, claire, alix):
    elsewhere = services.space_create(actor=alix, cooperation=None, title="Plateforme")
    with pytest.raises(PermissionDenied):
        services.thread_moderate(actor=claire, thread=thread, space=elsewhere)
    thread.refresh_from_db()
    assert thread.space != elsewhere


@pytest.mark.django_db
def test_a_report_reaches_the_moderators_once_and_hiding_handles_it(thread, claire, oscar, nadia):
    post = thread.posts.get()
    report = services.report_create(actor=nadia, post=post, reason="Publicité")
    assert Notification.objects.filter(user=claire, title__startswith="Message signalé").exists()
    with pytest.raises(Conflict):
        services.report_create(actor=nadia, post=post, reason="Encore")
    with pytest.raises(ValidationError):
        services.report_create(actor=oscar, post=post, reason="")
    assert list(selectors.open_reports(thread.space)) == [report]
    services.post_hide(actor=claire, post=post, reason="Publicité")
    assert not selectors.open_reports(thread.space).exists()
    report.refresh_from_db()
    assert report.handled_by == claire
    with pytest.raises(Conflict):
        services.report_handle(actor=claire, report=report)


@pytest.mark.django_db
def test_the_author_or_a_moderator_marks_the_solution(thread, claire, etienne, oscar):
    answer = reply(thread, oscar)
    with pytest.raises(PermissionDenied):
        services.thread_solve(actor=oscar, thread=thread, post=answer)
    services.thread_solve(actor=etienne, thread=thread, post=answer)
    assert thread.solution == answer
    other = services.thread_create(actor=oscar, space=thread.space, title="B", body="B")
    with pytest.raises(ValidationError):
        services.thread_solve(actor=claire, thread=thread, post=other.posts.get())
    # Hiding the solution unmarks it.
    services.post_hide(actor=claire, post=answer, reason="Erreur")
    thread.refresh_from_db()
    assert thread.solution is None
    assert [
        t.title
        for t in selectors.thread_list(
            etienne, thread.space, selectors.ThreadFilters(unsolved=True)
        )
    ] == ["B", "Accès aux soins"]


@pytest.mark.django_db
def test_a_cooperations_spaces_go_and_come_back_with_it(public, alix, thread, oscar):
    reply(thread, oscar)
    cooperation_services.cooperation_delete(actor=alix, cooperation=public)
    assert not Space.objects.exists() and not Post.objects.exists()
    restore_deleted(
        actor=alix,
        version=deleted_versions(Cooperation).first(),
        comment="Retour",
    )
    assert Thread.objects.get().posts.count() == 2


@pytest.mark.django_db
def test_a_deleted_space_comes_back_with_its_threads(space, thread, claire, etienne):
    with pytest.raises(PermissionDenied):
        services.space_delete(actor=etienne, space=space)
    services.space_delete(actor=claire, space=space)
    assert not Thread.objects.exists()
    restore_deleted(actor=claire, version=deleted_versions(Space).first(), comment="R")
    assert Thread.objects.get().posts.get().body == "Qui connaît un centre ?"


# Pages ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_who_reads_a_members_space(cast, claire, members_space):
    services.thread_create(actor=claire, space=members_space, title="Budget", body="Chiffres.")
    thread = Thread.objects.get()
    everyone_in = dict.fromkeys(
        ("observer", "funder", "project_contact", "body_member", "coordinator", "staff"), 200
    )
    for url in (members_space.get_absolute_url(), thread.get_absolute_url()):

        def read(client: Client, url: str = url):
            return client.get(url)

        assert_permission_matrix(cast, read, {"anonymous": 404, "outsider": 404, **everyone_in})
    # The forum's index names it to those who may read it only.
    assert "Entre partenaires" not in Client().get("/forum/").content.decode()


@pytest.mark.django_db
def test_who_writes_and_moderates_from_the_pages(cast, space, thread):
    # Whoever may read a public space replies once signed in (302: to the reply).
    assert_permission_matrix(
        cast,
        lambda client: client.post(thread.get_absolute_url(), {"body": "Réponse"}),
        dict.fromkeys(cast, 302) | {"anonymous": 403},
    )
    moderation = dict.fromkeys(cast, 403) | {"coordinator": 302, "staff": 302, "anonymous": 302}
    assert_permission_matrix(
        cast,
        lambda client: client.post(f"/forum/sujets/{thread.pk}/moderer/", {"action": "pin"}),
        moderation,
    )


@pytest.mark.django_db
def test_replying_quoting_and_reading_from_the_page(space, thread, etienne, oscar):
    client = Client()
    client.force_login(oscar)
    first = thread.posts.get()
    page = client.get(f"{thread.get_absolute_url()}?citer={first.pk}")
    assert page.context["form"].initial["quote"] == first.pk
    response = client.post(
        thread.get_absolute_url(),
        {
            "body": "Voici le lien.",
            "quote": first.pk,
            "attachment": SimpleUploadedFile("liste.pdf", b"%PDF-1.4 liste", "application/pdf"),
        },
    )
    answer = Post.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == answer.get_absolute_url()
    assert answer.quote == first and answer.attachment
    assert client.get(f"/forum/messages/{answer.pk}/piece-jointe/").status_code == 200
    # Bad input: said on the page, nothing written.
    page = client.post(thread.get_absolute_url(), {"body": ""})
    assert page.status_code == 200 and page.context["form"].errors
    assert Post.objects.count() == 2
    # Étienne sees it unread in the space, then reads it.
    client.force_login(etienne)
    listed = client.get(space.get_absolute_url())
    assert [t.unread for t in listed.context["page_obj"].object_list] == [True]
    client.get(thread.get_absolute_url())
    assert ReadMark.objects.get(user=etienne, thread=thread).read_at == answer.created_at


@pytest.mark.django_db
def test_a_hidden_post_shows_only_to_moderators(thread, claire, oscar):
    post = thread.posts.get()
    services.post_hide(actor=claire, post=post, reason="Hors charte")
    client = Client()
    client.force_login(oscar)
    text = client.get(thread.get_absolute_url()).content.decode()
    assert "Qui connaît un centre" not in text and "masqué par la modération" in text
    client.force_login(claire)
    assert "Qui connaît un centre" in client.get(thread.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_notifications_link_opens_the_page_of_its_post(thread, oscar, settings):
    from maillage.forum import selectors as forum_selectors

    for number in range(forum_selectors.POSTS_PER_PAGE + 2):
        last = reply(thread, oscar, body=f"Réponse {number}")
    client = Client()
    page = client.get(f"{thread.get_absolute_url()}?message={last.pk}")
    assert page.context["page_obj"].number == 2
    assert f'id="message-{last.pk}"' in page.content.decode()


# API --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_agrees_with_the_pages(space, thread, etienne, oscar):
    reply(thread, oscar)
    services.thread_create(actor=oscar, space=space, title="Covoiturage", body="Qui part ?")
    client = Client()
    client.force_login(etienne)
    page = client.get(space.get_absolute_url())
    listed = client.get(f"/api/v1/forum/spaces/{space.pk}/threads").json()
    assert [t["title"] for t in listed["items"]] == [
        t.title for t in page.context["page_obj"].object_list
    ]
    assert [t["unread"] for t in listed["items"]] == [
        t.unread for t in page.context["page_obj"].object_list
    ]
    filtered = client.get(f"/api/v1/forum/spaces/{space.pk}/threads?search=covoit").json()
    assert [t["title"] for t in filtered["items"]] == ["Covoiturage"]
    assert (
        client.get(f"{space.get_absolute_url()}?q=covoit").context["page_obj"].paginator.count == 1
    )
    spaces = client.get("/api/v1/forum/spaces").json()
    assert spaces["items"][0]["threads_count"] == 2
    posts = client.get(f"/api/v1/forum/threads/{thread.pk}/posts").json()
    assert posts["count"] == 2
    assert not client.get(f"/api/v1/forum/threads/{thread.pk}").json()["unread"]


@pytest.mark.django_db
def test_the_api_writes_through_the_services(space, thread, claire, etienne, oscar):
    client = Client()
    assert (
        client.post(
            f"/api/v1/forum/threads/{thread.pk}/posts",
            {"body": "x"},
            content_type="application/json",
        ).status_code
        == 401
    )
    client.force_login(oscar)
    first = thread.posts.get()
    made = client.post(
        f"/api/v1/forum/threads/{thread.pk}/posts",
        {"body": "Je cite.", "quote_id": first.pk},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["quote_id"] == first.pk
    bad = client.post(
        f"/api/v1/forum/threads/{thread.pk}/posts",
        {"body": "Je cite.", "quote_id": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400 and Post.objects.count() == 2
    assert (
        client.post(
            f"/api/v1/forum/posts/{first.pk}/reports",
            {"reason": "Spam"},
            content_type="application/json",
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/v1/forum/posts/{first.pk}/reports",
            {"reason": "Spam"},
            content_type="application/json",
        ).status_code
        == 409
    )
    assert (
        client.post(
            f"/api/v1/forum/threads/{thread.pk}/moderation",
            {"locked": True},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/forum/posts/{first.pk}",
            {"body": "Pas à moi"},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.force_login(claire)
    assert client.post(
        f"/api/v1/forum/threads/{thread.pk}/moderation",
        {"locked": True},
        content_type="application/json",
    ).json()["locked"]
    assert client.get(f"/api/v1/forum/spaces/{space.pk}/reports").json()["count"] == 1
    client.force_login(oscar)
    closed = client.post(
        f"/api/v1/forum/threads/{thread.pk}/posts",
        {"body": "Encore"},
        content_type="application/json",
    )
    assert closed.status_code == 409


@pytest.mark.django_db
def test_the_api_hides_a_hidden_posts_body_from_readers(thread, claire, oscar):
    post = thread.posts.get()
    services.post_hide(actor=claire, post=post, reason="Hors charte")
    client = Client()
    item = client.get(f"/api/v1/forum/threads/{thread.pk}/posts").json()["items"][0]
    assert item["hidden"] and item["body"] == ""
    client.force_login(claire)
    item = client.get(f"/api/v1/forum/threads/{thread.pk}/posts").json()["items"][0]
    assert item["body"] == "Qui connaît un centre ?"


@pytest.mark.django_db
def test_a_members_space_is_a_404_to_the_api_of_outsiders(members_space, claire, nadia):
    thread = services.thread_create(actor=claire, space=members_space, title="Budget", body="B")
    client = Client()
    client.force_login(nadia)
    for url in (
        f"/api/v1/forum/spaces/{members_space.pk}",
        f"/api/v1/forum/spaces/{members_space.pk}/threads",
        f"/api/v1/forum/threads/{thread.pk}/posts",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/api/v1/forum/threads/{thread.pk}/posts",
            {"body": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert members_space.pk not in [
        s["id"] for s in client.get("/api/v1/forum/spaces").json()["items"]
    ]


# Search -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_posts_are_found_by_those_who_may_read_them(
    members_space, space, claire, nadia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_create(
            actor=claire, space=members_space, title="Budget", body="La péréquation secrète."
        )
        public_thread = services.thread_create(
            actor=claire, space=space, title="Santé", body="La péréquation publique."
        )
    assert [hit.entry.title for hit in search.search(nadia, "péréquation").hits] == ["Santé"]
    assert len(search.search(claire, "péréquation").hits) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(actor=claire, post=public_thread.posts.get(), reason="Non")
    assert search.search(nadia, "péréquation").hits == []


@pytest.mark.django_db
def test_the_words_of_an_attachment_are_found_not_once_hidden(
    space, members_space, claire, nadia, django_capture_on_commit_callbacks
):
    from maillage.portal.tests.test_search import pdf_with

    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_create(
            actor=claire,
            space=space,
            title="Compte rendu",
            body="Le relevé est joint.",
            attachment=SimpleUploadedFile("releve.pdf", pdf_with("Biomasse forestière")),
        )
        services.thread_create(
            actor=claire,
            space=members_space,
            title="Entre nous",
            body="Joint.",
            attachment=SimpleUploadedFile("secret.pdf", pdf_with("Biomasse confidentielle")),
        )
    assert [hit.entry.title for hit in search.search(nadia, "biomasse").hits] == ["Compte rendu"]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(actor=claire, post=thread.posts.get(), reason="Erreur")
    assert search.search(nadia, "biomasse").hits == []


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_lists_cost_the_same_whatever_their_length(space, thread, etienne, oscar):
    client = Client()
    client.force_login(etienne)

    def grow():
        for number in range(8):
            author = UserFactory.create()
            more = services.thread_create(actor=author, space=space, title=f"S{number}", body="B")
            reply(more, oscar)
            reply(thread, author)
        services.thread_moderate(actor=None, thread=more, pinned=True)  # type: ignore[arg-type]

    def pages():
        client.get("/forum/")
        client.get(space.get_absolute_url())
        client.get(thread.get_absolute_url())
        client.get(f"/api/v1/forum/spaces/{space.pk}/threads")
        client.get(f"/api/v1/forum/threads/{thread.pk}/posts")

    assert_constant_queries(pages, grow)


@pytest.mark.django_db
def test_only_moderators_see_and_handle_reports(cast, thread, nadia):
    report = services.report_create(actor=nadia, post=thread.posts.get(), reason="Publicité")
    denied = {**dict.fromkeys(cast, 403), "anonymous": 401, "coordinator": 200, "staff": 200}
    assert_permission_matrix(
        cast, lambda client: client.get(f"/api/v1/forum/spaces/{thread.space_id}/reports"), denied
    )
    visitor = Client().post(f"/forum/signalements/{report.pk}/traiter/")
    assert visitor.status_code == 302 and "/compte/login/" in visitor["Location"]
    client = Client()
    client.force_login(nadia)
    assert client.post(f"/forum/signalements/{report.pk}/traiter/").status_code == 403
    report.refresh_from_db()
    assert report.handled_at is None
    assert selectors.open_reports(thread.space).get() == report
