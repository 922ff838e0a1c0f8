"""Every write endpoint of the governance API and every organisers' page, as every role, on a
public cooperation whose bodies and meetings are for its partners: anonymous 401 (pages: the
login redirect), outsiders 404 where the object is the partners' (403 where only the
cooperation is at stake), members 403, coordinators and staff succeed. Each request acts on a
fresh object, so that one role's success does not change what the next one meets."""

import itertools
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from maillage.cooperations.tests.factories import PersonFactory
from maillage.core.testing import ROLES, assert_permission_matrix
from maillage.governance import services
from maillage.governance.models import AgendaItem, Attendance, BodyMember, Decision, Meeting

pytestmark = pytest.mark.django_db
JSON = "application/json"
numbers = itertools.count(1)


def expect(success: int, *, outsider: int = 404, anonymous: int = 401) -> dict[str, int]:
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": anonymous,
        "outsider": outsider,
        "coordinator": success,
        "staff": success,
    }


@pytest.fixture
def public(cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    return cooperation


def fresh_body(cooperation):
    return services.body_create(
        actor=None, cooperation=cooperation, name=f"Comité {next(numbers)}", kind="other"
    )


def fresh_meeting(cooperation, *, days: int = 10, **fields):
    start = timezone.now() + timedelta(days=days)
    return services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title=f"Réunion {next(numbers)}",
        start=start,
        end=start + timedelta(hours=2),
        **fields,
    )


def fresh_item(cooperation):
    meeting = fresh_meeting(cooperation)
    services.agenda_item_add(actor=None, meeting=meeting, title="Premier")
    return services.agenda_item_add(actor=None, meeting=meeting, title="Second")


def fresh_mandate(cooperation):
    return services.body_member_add(
        actor=None, body=fresh_body(cooperation), person=PersonFactory.create()
    )


def fresh_decision(cooperation):
    return services.decision_record(
        actor=None,
        body=fresh_body(cooperation),
        text="Avis",
        kind="opinion",
        date=timezone.localdate(),
    )


def fresh_attendance(cooperation):
    return services.attendance_record(
        actor=None,
        meeting=fresh_meeting(cooperation),
        person=PersonFactory.create(),
        status="present",
    )


def call(client, method: str, path: str, data=None):
    return getattr(client, method)(path, data, content_type=JSON)


def test_bodies_and_mandates(cast, public):
    def create_body(client):
        payload = {"cooperation": public.pk, "name": "Conférence", "kind": "assembly"}
        return call(client, "post", "/api/v1/bodies", payload)

    assert_permission_matrix(cast, create_body, expect(201, outsider=403))

    def update_body(client):
        body = fresh_body(public)
        return call(client, "patch", f"/api/v1/bodies/{body.pk}", {"meetings_per_year": 2})

    assert_permission_matrix(cast, update_body, expect(200))

    def add_mandate(client):
        body = fresh_body(public)
        payload = {"person_id": PersonFactory.create().pk, "position": "president"}
        return call(client, "post", f"/api/v1/bodies/{body.pk}/members", payload)

    assert_permission_matrix(cast, add_mandate, expect(201))

    def update_mandate(client):
        mandate = fresh_mandate(public)
        path = f"/api/v1/bodies/{mandate.body_id}/members/{mandate.pk}"
        return call(client, "patch", path, {"end_date": "2030-12-31"})

    assert_permission_matrix(cast, update_mandate, expect(200))

    def remove_mandate(client):
        mandate = fresh_mandate(public)
        return call(client, "delete", f"/api/v1/bodies/{mandate.body_id}/members/{mandate.pk}")

    before = BodyMember.objects.count()
    assert_permission_matrix(cast, remove_mandate, expect(204))
    assert BodyMember.objects.count() == before + 6  # eight made, two removed


def test_meetings(cast, public):
    def create_meeting(client):
        payload = {
            "cooperation": public.pk,
            "title": "Séance",
            "start": "2030-03-02T09:30",
            "end": "2030-03-02T12:00",
        }
        return call(client, "post", "/api/v1/meetings", payload)

    assert_permission_matrix(cast, create_meeting, expect(201, outsider=403))
    created = Meeting.objects.filter(title="Séance")
    assert created.count() == 2
    assert timezone.localtime(created[0].start).hour == 9  # read in Europe/Paris

    def update_meeting(client):
        meeting = fresh_meeting(public)
        return call(client, "patch", f"/api/v1/meetings/{meeting.pk}", {"capacity": 30})

    assert_permission_matrix(cast, update_meeting, expect(200))

    def delete_meeting(client):
        return call(client, "delete", f"/api/v1/meetings/{fresh_meeting(public).pk}")

    before = Meeting.objects.count()
    assert_permission_matrix(cast, delete_meeting, expect(204))
    assert Meeting.objects.count() == before + 6

    def invite(client):
        meeting = fresh_meeting(public, body=fresh_body(public))
        return call(client, "post", f"/api/v1/meetings/{meeting.pk}/invitations")

    assert_permission_matrix(cast, invite, expect(200))

    def cancel_registration(client):
        meeting = fresh_meeting(public, open_registration=True, visibility="public")
        registration = services.registration_create(
            meeting=meeting, user=None, name="Visiteur", email="v@exemple.test"
        )
        path = f"/api/v1/meetings/{meeting.pk}/registrations/{registration.pk}"
        return call(client, "delete", path)

    # A public meeting: outsiders see it, and are refused like members.
    assert_permission_matrix(cast, cancel_registration, expect(204, outsider=403))

    def remove_attendance(client):
        line = fresh_attendance(public)
        return call(client, "delete", f"/api/v1/meetings/{line.meeting_id}/attendance/{line.pk}")

    assert_permission_matrix(cast, remove_attendance, expect(204))


def test_agenda_and_decisions(cast, public):
    def add_item(client):
        meeting = fresh_meeting(public)
        return call(client, "post", f"/api/v1/meetings/{meeting.pk}/agenda", {"title": "Point"})

    assert_permission_matrix(cast, add_item, expect(201))

    def rewrite_item(client):
        item = fresh_item(public)
        path = f"/api/v1/meetings/{item.meeting_id}/agenda/{item.pk}"
        return call(client, "put", path, {"title": "Point revu"})

    assert_permission_matrix(cast, rewrite_item, expect(200))

    def move_item(client):
        item = fresh_item(public)
        path = f"/api/v1/meetings/{item.meeting_id}/agenda/{item.pk}/move"
        return call(client, "post", path, {"direction": "up"})

    assert_permission_matrix(cast, move_item, expect(200))

    def remove_item(client):
        item = fresh_item(public)
        return call(client, "delete", f"/api/v1/meetings/{item.meeting_id}/agenda/{item.pk}")

    assert_permission_matrix(cast, remove_item, expect(204))

    def correct_decision(client):
        decision = fresh_decision(public)
        return call(client, "patch", f"/api/v1/decisions/{decision.pk}", {"text": "Avis revu"})

    assert_permission_matrix(cast, correct_decision, expect(200))
    assert Decision.objects.filter(text="Avis revu").count() == 2


def get(client, *, path):
    return client.get(path)


def post(client, *, path, data=None):
    return client.post(path, data or {})


def test_organisers_pages(cast, public):
    base = f"/cooperations/{public.slug}"
    # Pages: anonymous go to the login page; forms redirect on success.
    pages = expect(302, anonymous=302, outsider=403)
    forms = expect(200, anonymous=302, outsider=403)
    item, mandate, decision, line = (
        fresh_item(public),
        fresh_mandate(public),
        fresh_decision(public),
        fresh_attendance(public),
    )
    for path in (
        f"{base}/ordre-du-jour/{item.pk}/modifier/",
        f"{base}/ordre-du-jour/{item.pk}/supprimer/",
        f"{base}/mandats/{mandate.pk}/modifier/",
        f"{base}/mandats/{mandate.pk}/supprimer/",
        f"{base}/decisions/{decision.pk}/modifier/",
        f"{base}/presences/{line.pk}/supprimer/",
        f"{base}/reunions/{item.meeting_id}/supprimer/",
    ):
        assert_permission_matrix(cast, partial(get, path=path), forms)

    def move(client):
        item = fresh_item(public)
        return post(
            client, path=f"{base}/ordre-du-jour/{item.pk}/deplacer/", data={"direction": "up"}
        )

    assert_permission_matrix(cast, move, pages)
    assert AgendaItem.objects.filter(title="Second", position=0).count() == 2

    def confirm(path_of, client):
        return post(client, path=path_of())

    for path_of in (
        lambda: f"{base}/ordre-du-jour/{fresh_item(public).pk}/supprimer/",
        lambda: f"{base}/mandats/{fresh_mandate(public).pk}/supprimer/",
        lambda: f"{base}/presences/{fresh_attendance(public).pk}/supprimer/",
        lambda: f"{base}/reunions/{fresh_meeting(public).pk}/supprimer/",
    ):
        assert_permission_matrix(cast, partial(confirm, path_of), pages)
    assert Attendance.objects.count() == 1 + 6  # the first line, and six refused removals


def test_decisions_and_minutes_steps(cast, public):
    def decide(client):
        body = fresh_body(public)
        payload = {"body_id": body.pk, "date": "2025-01-15", "kind": "approval", "text": "Vu"}
        return call(client, "post", "/api/v1/decisions", payload)

    assert_permission_matrix(cast, decide, expect(201))
    assert Decision.objects.filter(text="Vu").count() == 2

    def circulate(client):
        meeting = fresh_meeting(public)
        services.minutes_save(actor=None, meeting=meeting, text="Relevé")
        path = f"/api/v1/meetings/{meeting.pk}/minutes/status"
        return call(client, "post", path, {"status": "circulated"})

    assert_permission_matrix(cast, circulate, expect(200))


def test_organisers_forms_posted(cast, public):
    base = f"/cooperations/{public.slug}"
    pages = expect(302, anonymous=302, outsider=403)
    person = PersonFactory.create()

    def new_body(client):
        return post(
            client,
            path=f"{base}/instances/nouvelle/",
            data={"name": "Bureau", "kind": "other", "visibility": "partners"},
        )

    assert_permission_matrix(cast, new_body, pages)

    def new_mandate(client):
        body = fresh_body(public)
        data = {"person": person.pk, "position": "member"}
        return post(client, path=f"{base}/instances/{body.pk}/membres/", data=data)

    assert_permission_matrix(cast, new_mandate, pages)

    def new_meeting(client):
        data = {
            "title": "Plénière",
            "kind": "meeting",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T12:00",
            "visibility": "partners",
            "when_full": "refuse",
        }
        return post(client, path=f"{base}/reunions/nouvelle/", data=data)

    assert_permission_matrix(cast, new_meeting, pages)
    assert Meeting.objects.filter(title="Plénière").count() == 2

    def invite(client):
        meeting = fresh_meeting(public, body=fresh_body(public))
        return post(client, path=f"{base}/reunions/{meeting.pk}/inviter/")

    assert_permission_matrix(cast, invite, pages)

    def decide(client):
        meeting = fresh_meeting(public, days=-10, body=fresh_body(public))  # held already
        data = {"kind": "opinion", "date": "2025-01-15", "text": "Avis de séance"}
        return post(client, path=f"{base}/reunions/{meeting.pk}/decision/", data=data)

    # The meeting is the partners': outsiders do not find it.
    assert_permission_matrix(cast, decide, {**pages, "outsider": 404})
    assert Decision.objects.filter(text="Avis de séance").count() == 2
