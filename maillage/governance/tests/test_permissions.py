from datetime import timedelta
from functools import partial

import pytest
from django.http import HttpResponse
from django.utils import timezone

from maillage.core.testing import ROLES, assert_permission_matrix
from maillage.governance import services
from maillage.projects import services as project_services

pytestmark = pytest.mark.django_db


def get(client, *, path):
    return client.get(path)


def post(client, *, path, data):
    return client.post(path, data)


@pytest.fixture
def members_meeting(cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    start = timezone.now() + timedelta(days=5)
    return services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Comité",
        start=start,
        end=start + timedelta(hours=2),
        visibility="partners",
        capacity=50,
    )


def test_a_partners_meeting_is_for_members(cast, members_meeting):
    members = {**dict.fromkeys(ROLES, 200), "anonymous": 404, "outsider": 404}
    slug = members_meeting.cooperation.slug
    for path in (
        f"/cooperations/{slug}/reunions/{members_meeting.pk}/",
        f"/api/v1/meetings/{members_meeting.pk}",
        f"/meetings/{members_meeting.pk}.ics",
    ):
        assert_permission_matrix(cast, partial(get, path=path), members)


def test_members_register_to_members_meetings(cast, members_meeting):
    url = f"/api/v1/meetings/{members_meeting.pk}/registrations"

    def register(client):
        user = client.get("/").wsgi_request.user
        email = user.email if user.is_authenticated else "visiteur@exemple.test"
        return client.post(url, {"name": "Nom", "email": email}, content_type="application/json")

    expected = {**dict.fromkeys(ROLES, 201), "anonymous": 404, "outsider": 404}
    assert_permission_matrix(cast, register, expected)
    assert members_meeting.registrations.count() == 6


def test_registrations_are_listed_for_organisers_only(client, claire, etienne, members_meeting):
    services.registration_create(
        meeting=members_meeting, user=etienne, name="Étienne", email=etienne.email
    )
    page = f"/cooperations/{members_meeting.cooperation.slug}/reunions/{members_meeting.pk}/"
    client.force_login(etienne)
    assert client.get(page).context["registrations"] is None
    client.force_login(claire)
    assert [r.name for r in client.get(page).context["registrations"]] == ["Étienne"]


def test_lists_keep_a_fixed_number_of_queries(client, claire, members_meeting, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maillage.core.testing import assert_constant_queries

    settings.MEDIA_ROOT = tmp_path

    cooperation = members_meeting.cooperation
    body = services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other", meetings_per_year=2
    )
    members_meeting.body = body  # its decisions are the body's
    members_meeting.save()
    client.force_login(claire)
    paths = [
        f"/cooperations/{cooperation.slug}/reunions/",
        f"/api/v1/meetings?cooperation={cooperation.pk}",
        f"/api/v1/bodies?cooperation={cooperation.pk}",
        f"/cooperations/{cooperation.slug}/instances/{body.pk}/",
        f"/cooperations/{cooperation.slug}/calendar.ics",
        f"/cooperations/{cooperation.slug}/decisions/",
        f"/api/v1/decisions?cooperation={cooperation.pk}",
        f"/cooperations/{cooperation.slug}/reunions/{members_meeting.pk}/",
        f"/api/v1/meetings/{members_meeting.pk}/agenda",
        f"/api/v1/meetings/{members_meeting.pk}/documents",
        f"/cooperations/{cooperation.slug}/decisions/export/",
    ]

    def grow(numbers=range(1, 5)):
        for n in numbers:
            start = timezone.now() + timedelta(days=n + 1)
            meeting = services.meeting_create(
                actor=None,
                cooperation=cooperation,
                body=body,
                title=f"R{n}",
                start=start,
                end=start + timedelta(hours=1),
            )
            services.registration_create(
                meeting=meeting, user=claire, name="Claire", email=claire.email
            )
            services.body_create(
                actor=None, cooperation=cooperation, name=f"Instance {n}", kind="other"
            )
            project = project_services.project_create(
                actor=None, cooperation=cooperation, title=f"P{n}"
            )
            services.decision_record(
                actor=None,
                body=body,
                date=timezone.localdate(),
                kind="other",
                text=f"Décision {n}",
                projects=[project],
            )
            services.agenda_item_add(actor=None, meeting=members_meeting, title=f"Point {n}")
            services.meeting_document_add(
                actor=None,
                meeting=members_meeting,
                title=f"Support {n}",
                kind="presentation",
                file=SimpleUploadedFile(f"support-{n}.pdf", b"%PDF"),
            )
            services.registration_create(
                meeting=members_meeting, user=claire, name="C", email=f"c{n}@exemple.test"
            )

    grow([0])  # one of each first, so that the prefetches run before and after
    assert all(client.get(path).status_code == 200 for path in paths)
    assert_constant_queries(lambda: [client.get(path) for path in paths], grow)


def test_organisers_endpoints(cast, members_meeting, claire):
    from maillage.cooperations.tests.factories import PersonFactory

    coordination = {**dict.fromkeys(ROLES, 403), "anonymous": 401, "coordinator": 200, "staff": 200}
    outsiders_404 = {**coordination, "outsider": 404}
    base = f"/api/v1/meetings/{members_meeting.pk}"
    assert_permission_matrix(cast, partial(get, path=base + "/registrations"), outsiders_404)
    assert_permission_matrix(cast, partial(get, path=base + "/attendance"), outsiders_404)
    person = PersonFactory.create()

    def attend(client):
        return client.post(
            base + "/attendance",
            {"person_id": person.pk, "status": "present"},
            content_type="application/json",
        )

    assert_permission_matrix(cast, attend, {**outsiders_404, "coordinator": 201, "staff": 201})

    def write_minutes(client):
        return client.put(base + "/minutes", {"text": "Relevé"}, content_type="application/json")

    assert_permission_matrix(cast, write_minutes, outsiders_404)
    # Draft minutes are for organisers; members and the public read them once published.
    readers = {**dict.fromkeys(ROLES, 404), "coordinator": 200, "staff": 200}
    assert_permission_matrix(cast, partial(get, path=base + "/minutes"), readers)


def test_organisers_pages_are_refused_to_other_roles(cast, members_meeting):
    cooperation = members_meeting.cooperation
    body = services.body_create(actor=None, cooperation=cooperation, name="Comité", kind="other")
    base = f"/cooperations/{cooperation.slug}/"
    coordination = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "coordinator": 200, "staff": 200}
    for path in (
        base + "reunions/nouvelle/",
        base + f"reunions/{members_meeting.pk}/modifier/",
        base + f"reunions/{members_meeting.pk}/emargement/",
        base + "instances/nouvelle/",
        base + f"instances/{body.pk}/modifier/",
        base + f"instances/{body.pk}/membres/",
    ):
        assert_permission_matrix(cast, partial(get, path=path), coordination)
    posts = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 302,
        "outsider": 404,
        "coordinator": 302,
        "staff": 302,
    }
    for what, data in (
        ("presence", {}),
        ("compte-rendu", {"text": "Relevé"}),
        ("ordre-du-jour", {"title": "Point"}),
    ):
        path = base + f"reunions/{members_meeting.pk}/{what}/"
        assert_permission_matrix(cast, partial(post, path=path, data=data), posts)
    assert not members_meeting.agenda.exclude(title="Point").exists()
    assert members_meeting.agenda.count() == 2  # the coordinator's and the staff's


def test_decisions_of_a_partners_body_stay_with_the_members(cast, members_meeting):
    from datetime import date

    cooperation = members_meeting.cooperation
    body = services.body_create(
        actor=None,
        cooperation=cooperation,
        name="Comité restreint",
        kind="other",
        visibility="partners",
    )
    services.decision_record(
        actor=None, body=body, date=date(2025, 1, 1), kind="approval", text="Décision réservée"
    )

    def register_page(client):
        response = client.get(f"/cooperations/{cooperation.slug}/decisions/")
        return HttpResponse(status=200 if "Décision réservée" in response.content.decode() else 404)

    members = {**dict.fromkeys(ROLES, 200), "anonymous": 404, "outsider": 404}
    assert_permission_matrix(cast, register_page, members)

    def api(client):
        items = client.get("/api/v1/decisions", {"cooperation": cooperation.pk}).json()["items"]
        return HttpResponse(status=200 if items else 404)

    assert_permission_matrix(cast, api, members)
    assert_permission_matrix(
        cast, partial(get, path=f"/cooperations/{cooperation.slug}/instances/{body.pk}/"), members
    )


def test_calendars_and_exports_stay_with_the_cooperations_readers(cast, cooperation):
    """A partners-only cooperation: its calendar, feed and register export are not found by
    visitors and outsiders; the user's own calendar and feed page need an account."""
    cooperation.visibility = "partners"
    cooperation.save()
    hidden = {**dict.fromkeys(ROLES, 200), "anonymous": 404, "outsider": 404}
    for path in (
        f"/cooperations/{cooperation.slug}/reunions/calendrier/",
        f"/cooperations/{cooperation.slug}/calendar.ics",
        f"/cooperations/{cooperation.slug}/decisions/export/",
    ):
        assert_permission_matrix(cast, partial(get, path=path), hidden)
    signed_in = {**dict.fromkeys(ROLES, 200), "anonymous": 302}
    for path in ("/mon-espace/calendrier/", "/mon-espace/agenda/", "/mon-espace/reunions.ics"):
        assert_permission_matrix(cast, partial(get, path=path), signed_in)


def test_a_bodys_members_are_named_to_members_of_the_cooperation_only(cast, cooperation):
    """Its page is public; its members' names are personal data (the API refused them to a
    signed-in outsider, the page did not)."""
    from maillage.cooperations.tests.factories import PersonFactory
    from maillage.core.testing import assert_text_matrix

    cooperation.visibility = "public"
    cooperation.save()
    body = services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other", visibility="public"
    )
    services.body_member_add(
        actor=None, body=body, person=PersonFactory.create(last_name="Le Gall"), position="member"
    )
    url = f"/cooperations/{cooperation.slug}/instances/{body.pk}/"
    assert_text_matrix(cast, url, "Le Gall", set(cast) - {"anonymous", "outsider"})


def test_a_public_meeting_of_a_restricted_body_does_not_name_the_body(cast, cooperation):
    from datetime import timedelta

    from django.utils import timezone

    from maillage.core.testing import assert_text_matrix

    cooperation.visibility = "public"
    cooperation.save()
    body = services.body_create(
        actor=None,
        cooperation=cooperation,
        name="Bureau discret",
        kind="other",
        visibility="restricted",
    )
    start = timezone.now() + timedelta(days=3)
    meeting = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        body=body,
        title="Réunion ouverte",
        start=start,
        end=start + timedelta(hours=1),
        visibility="public",
    )
    for url in (meeting.get_absolute_url(), f"/cooperations/{cooperation.slug}/reunions/"):
        assert_text_matrix(cast, url, "Bureau discret", {"coordinator", "staff"})
