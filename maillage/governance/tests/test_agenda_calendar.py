"""Agenda items edited and reordered, meetings cancelled, decisions corrected, working-group
meetings, month calendars and the secret feed address."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import CooperationFactory, PersonFactory
from maillage.core.exceptions import Conflict
from maillage.core.testing import assert_constant_queries
from maillage.governance import selectors, services
from maillage.governance.models import AgendaItem, Meeting
from maillage.projects import services as project_services

pytestmark = pytest.mark.django_db
JSON = "application/json"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def meeting(cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    start = at(dt.date(2030, 3, 12))
    return services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Séminaire",
        start=start,
        end=start + dt.timedelta(hours=3),
        visibility="public",
        open_registration=True,
        capacity=2,
        when_full="waiting_list",
    )


def agenda(meeting) -> list[str]:
    return [item.title for item in meeting.agenda.all()]


def test_agenda_items_move_and_close_up(claire, meeting):
    first, second, third = (
        services.agenda_item_add(actor=claire, meeting=meeting, title=title)
        for title in ("Accueil", "Bilan", "Perspectives")
    )
    services.agenda_item_move(actor=claire, item=third, direction="up")
    assert agenda(meeting) == ["Accueil", "Perspectives", "Bilan"]
    services.agenda_item_move(actor=claire, item=first, direction="up")  # already first
    assert agenda(meeting) == ["Accueil", "Perspectives", "Bilan"]
    services.agenda_item_delete(actor=claire, item=first)
    assert [(i.position, i.title) for i in meeting.agenda.all()] == [
        (0, "Perspectives"),
        (1, "Bilan"),
    ]
    with pytest.raises(ValidationError):
        services.agenda_item_move(actor=claire, item=second, direction="sideways")


def test_an_agenda_item_points_only_to_its_cooperation(claire, meeting):
    cooperation = meeting.cooperation
    node = cooperation_services.strategy_node_create(
        actor=None, cooperation=cooperation, title="Axe 1"
    )
    proposal = cooperation_services.proposal_create(
        actor=None, cooperation=cooperation, title="Piste"
    )
    item = services.agenda_item_add(actor=claire, meeting=meeting, title="Point")
    services.agenda_item_update(
        actor=claire, item=item, title="Point revu", proposals=[proposal], strategy_nodes=[node]
    )
    assert list(item.proposals.all()) == [proposal]
    other = project_services.project_create(
        actor=None, cooperation=CooperationFactory.create(), title="Ailleurs"
    )
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_update(actor=claire, item=item, title="Encore", projects=[other])
    assert "projects" in refused.value.message_dict
    item.refresh_from_db()
    assert item.title == "Point revu" and not item.projects.exists()


def test_the_agenda_api_refuses_another_cooperations_project(client, claire, meeting):
    other = project_services.project_create(
        actor=None, cooperation=CooperationFactory.create(), title="Ailleurs"
    )
    client.force_login(claire)
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/agenda",
        {"title": "Point", "project_ids": [other.pk]},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "project_ids"
    assert not AgendaItem.objects.exists()
    ok = client.post(
        f"/api/v1/meetings/{meeting.pk}/agenda", {"title": "Ouverture"}, content_type=JSON
    )
    assert ok.status_code == 201
    listed = client.get(f"/api/v1/meetings/{meeting.pk}/agenda").json()
    assert [item["title"] for item in listed] == ["Ouverture"]


def test_the_agenda_is_edited_on_the_meeting_page(client, claire, meeting):
    for title in ("Accueil", "Bilan"):
        services.agenda_item_add(actor=claire, meeting=meeting, title=title)
    bilan = meeting.agenda.get(title="Bilan")
    client.force_login(claire)
    base = f"/cooperations/{meeting.cooperation.slug}/ordre-du-jour/{bilan.pk}"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{base}/deplacer/" in page and f"{base}/modifier/" in page
    client.post(f"{base}/deplacer/", {"direction": "up"})
    assert agenda(meeting) == ["Bilan", "Accueil"]
    response = client.post(f"{base}/modifier/", {"title": ""})
    assert response.status_code == 200 and response.context["form"].errors["title"]
    client.post(f"{base}/modifier/", {"title": "Bilan 2029", "description": "Chiffres"})
    assert agenda(meeting) == ["Bilan 2029", "Accueil"]
    client.post(f"{base}/supprimer/")
    assert agenda(meeting) == ["Accueil"]


def test_cancelling_a_meeting_tells_its_registrants(
    claire, meeting, django_capture_on_commit_callbacks
):
    for n in range(3):  # two seats, one on the waiting list
        services.registration_create(
            meeting=meeting, user=None, name=f"P{n}", email=f"p{n}@exemple.test"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_delete(actor=claire, meeting=meeting)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    cancelled = [m for m in mail.outbox if m.subject.startswith("Annulation")]
    assert sorted(m.to[0] for m in cancelled) == [f"p{n}@exemple.test" for n in range(3)]


def test_a_meeting_with_decisions_or_minutes_stays(claire, cooperation):
    body = services.body_create(actor=None, cooperation=cooperation, name="Comité", kind="other")
    start = at(dt.date(2029, 1, 10))
    held = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        body=body,
        title="Comité 2029",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    services.minutes_save(actor=None, meeting=held, text="Relevé")
    with pytest.raises(Conflict):
        services.meeting_delete(actor=claire, meeting=held)
    assert Meeting.objects.filter(pk=held.pk).exists()


def test_a_corrected_decision_keeps_its_number_and_journal(claire, cooperation):
    body = services.body_create(actor=None, cooperation=cooperation, name="Comité", kind="other")
    project = project_services.project_create(actor=None, cooperation=cooperation, title="Halle")
    decision = services.decision_record(
        actor=claire,
        body=body,
        text="Avis favorable",
        kind="opinion",
        date=dt.date(2025, 5, 2),
        projects=[project],
    )
    services.decision_update(actor=claire, decision=decision, text="Avis favorable unanime")
    decision.refresh_from_db()
    assert (decision.number, decision.text) == (1, "Avis favorable unanime")
    assert list(decision.projects.all()) == [project]
    with pytest.raises(ValidationError):
        services.decision_update(actor=claire, decision=decision, kind="verdict")


def test_a_working_group_meets_and_its_members_are_invited(
    client, claire, cooperation, django_capture_on_commit_callbacks
):
    group = cooperation_services.working_group_create(
        actor=None, cooperation=cooperation, name="Mobilités"
    )
    for email in ("a@exemple.test", "b@exemple.test"):
        cooperation_services.working_group_member_add(
            actor=None, group=group, person=PersonFactory.create(email=email)
        )
    client.force_login(claire)
    form = client.get(f"/cooperations/{cooperation.slug}/reunions/nouvelle/?groupe={group.pk}")
    assert form.context["form"].initial["working_group"] == group.pk
    start = at(dt.date(2030, 4, 2))
    meeting = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        working_group=group,
        title="Atelier mobilités",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    page = client.get(group.get_absolute_url())
    assert list(page.context["meetings"]) == [meeting]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_invite(actor=claire, meeting=meeting) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.test", "b@exemple.test"]


def test_the_month_grid(meeting):
    assert selectors.month_from("2030-03") == dt.date(2030, 3, 1)
    for bad in ("", "mars", "2030-13", "2030", "0-1"):
        assert selectors.month_from(bad) == timezone.localdate().replace(day=1)
    assert selectors.shift_month(dt.date(2030, 1, 1), -1) == dt.date(2029, 12, 1)
    assert selectors.shift_month(dt.date(2030, 12, 1), 1) == dt.date(2031, 1, 1)
    weeks = selectors.month_grid(Meeting.objects.all(), dt.date(2030, 3, 1))
    assert all(len(week) == 7 and week[0]["date"].weekday() == 0 for week in weeks)
    days = {day["date"]: day for week in weeks for day in week}
    assert days[dt.date(2030, 3, 12)]["meetings"] == [meeting]
    assert days[dt.date(2030, 2, 25)]["in_month"] is False  # the Monday before March


def test_the_calendar_pages_keep_their_queries(client, claire, meeting):
    cooperation = meeting.cooperation
    services.registration_create(meeting=meeting, user=claire, name="C", email=claire.email)
    client.force_login(claire)
    paths = [
        f"/cooperations/{cooperation.slug}/reunions/calendrier/?mois=2030-03",
        "/mon-espace/calendrier/?mois=2030-03",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200 and "Séminaire" in response.content.decode()

    def grow():
        for day in range(1, 6):
            start = at(dt.date(2030, 3, day))
            other = services.meeting_create(
                actor=None,
                cooperation=cooperation,
                title=f"R{day}",
                start=start,
                end=start + dt.timedelta(hours=1),
            )
            services.registration_create(meeting=other, user=claire, name="C", email=claire.email)

    assert_constant_queries(lambda: [client.get(path) for path in paths], grow)


def test_the_secret_feed_address(client, claire, meeting):
    services.registration_create(meeting=meeting, user=claire, name="C", email=claire.email)
    assert client.get("/mon-espace/agenda/").status_code == 302  # sign in first
    client.force_login(claire)
    address = client.get("/mon-espace/agenda/").context["feed_url"]
    client.logout()
    feed = client.get(address)
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Séminaire"]
    client.force_login(claire)
    client.post("/mon-espace/agenda/")
    client.logout()
    assert client.get(address).status_code == 404  # the old address stops working
    assert client.get("/agenda/inconnu.ics").status_code == 404


def test_documents_are_joined_to_a_meeting(client, cast, claire, meeting, settings, tmp_path):
    from functools import partial

    from django.core.files.uploadedfile import SimpleUploadedFile

    from maillage.cooperations.models import Document
    from maillage.core.testing import ROLES, assert_permission_matrix

    settings.MEDIA_ROOT = tmp_path
    stored = services.meeting_document_add(
        actor=claire,
        meeting=meeting,
        title="Ordre du jour",
        kind="presentation",
        file=SimpleUploadedFile("odj.pdf", b"%PDF-1.4"),
        visibility="public",
    )
    assert stored.cooperation == meeting.cooperation and list(meeting.documents.all()) == [stored]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ordre du jour" in page and f"/documents/{stored.pk}/" in page
    listed = client.get(f"/api/v1/meetings/{meeting.pk}/documents").json()
    assert [document["title"] for document in listed] == ["Ordre du jour"]

    def upload(client, name="support.pdf"):
        return client.post(
            f"/api/v1/meetings/{meeting.pk}/documents",
            {"title": "Support", "kind": "presentation", "file": SimpleUploadedFile(name, b"x")},
        )

    coordination = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "coordinator": 201,
        "staff": 201,
    }
    assert_permission_matrix(cast, upload, coordination)
    client.force_login(claire)
    refused = upload(client, "virus.exe")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "file"
    assert meeting.documents.count() == 3 and Document.objects.count() == 3
    form = client.get(
        f"/cooperations/{meeting.cooperation.slug}/reunions/{meeting.pk}/documents/ajouter/"
    )
    assert form.status_code == 200
    organisers = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "coordinator": 200, "staff": 200}
    assert_permission_matrix(
        cast,
        partial(
            lambda client, path: client.get(path),
            path=f"/cooperations/{meeting.cooperation.slug}/reunions/{meeting.pk}/documents/ajouter/",
        ),
        organisers,
    )


def test_the_users_meetings_keep_each_meetings_visibility(claire, etienne, cooperation):
    body = services.body_create(actor=None, cooperation=cooperation, name="Comité", kind="other")
    services.body_member_add(
        actor=None, body=body, person=PersonFactory.create(user=etienne, email=etienne.email)
    )
    services.body_member_add(
        actor=None, body=body, person=PersonFactory.create(user=claire, email=claire.email)
    )
    for title, visibility in (("Plénière", "partners"), ("Réunion restreinte", "restricted")):
        start = at(dt.date(2030, 5, 1))
        services.meeting_create(
            actor=None,
            cooperation=cooperation,
            body=body,
            title=title,
            start=start,
            end=start + dt.timedelta(hours=1),
            visibility=visibility,
        )
    # Étienne sits on the body but is no coordinator: the restricted meeting stays hidden.
    assert [m.title for m in selectors.meetings_of_user(etienne)] == ["Plénière"]
    assert sorted(m.title for m in selectors.meetings_of_user(claire)) == [
        "Plénière",
        "Réunion restreinte",
    ]


def test_governance_deletions_keep_their_snapshot(claire, cooperation):
    """A deleted meeting (with its agenda), agenda item or mandate can be brought back from
    the history, like every deletion."""
    from maillage.core.history import deleted_versions
    from maillage.governance.models import BodyMember

    start = timezone.now() + dt.timedelta(days=5)
    doomed = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Annulée",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    services.agenda_item_add(actor=None, meeting=doomed, title="Ordre du jour")
    kept = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Maintenue",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    item = services.agenda_item_add(actor=None, meeting=kept, title="Point retiré")
    body = services.body_create(actor=None, cooperation=cooperation, name="Comité", kind="other")
    mandate = services.body_member_add(
        actor=None, body=body, person=PersonFactory.create(), position="member"
    )
    services.meeting_delete(actor=claire, meeting=doomed)
    services.agenda_item_delete(actor=claire, item=item)
    services.body_member_remove(actor=claire, member=mandate)
    assert [v.object_repr for v in deleted_versions(Meeting)] == ["Annulée"]
    assert {v.object_repr for v in deleted_versions(AgendaItem)} >= {"Point retiré"}
    assert len(deleted_versions(AgendaItem)) == 2  # the meeting's own item went with it
    assert len(deleted_versions(BodyMember)) == 1


def test_the_users_meetings_are_those_they_organise_are_invited_to_or_registered_for(
    client, claire, etienne, paula, fanny, nadia, cooperation
):
    """ "Mes prochaines réunions" and "Mon calendrier" were empty for the coordinator who
    organises every meeting: organised, invited (body, working group, attendance list) or
    registered, each meeting is the user's."""
    group = cooperation_services.working_group_create(
        actor=None, cooperation=cooperation, name="Groupe bois"
    )
    cooperation_services.working_group_member_add(
        actor=None, group=group, person=PersonFactory.create(user=etienne, email=etienne.email)
    )
    start = timezone.now() + dt.timedelta(days=3)

    def meeting(title: str, **fields) -> Meeting:
        return services.meeting_create(
            actor=None,
            cooperation=cooperation,
            title=title,
            start=start,
            end=start + dt.timedelta(hours=1),
            **fields,
        )

    meeting("Atelier", working_group=group)
    listed = meeting("Visite")
    services.attendance_record(
        actor=None,
        meeting=listed,
        person=PersonFactory.create(user=paula, email=paula.email),
        status="present",
    )
    open_one = meeting("Séminaire")
    services.registration_create(meeting=open_one, name="Fanny", email=fanny.email, user=fanny)
    mine = {
        user: sorted(m.title for m in selectors.meetings_of_user(user))
        for user in (claire, etienne, paula, fanny, nadia)
    }
    assert mine == {
        claire: ["Atelier", "Séminaire", "Visite"],
        etienne: ["Atelier"],
        paula: ["Visite"],
        fanny: ["Séminaire"],
        nadia: [],
    }
    client.force_login(claire)
    profile = client.get("/mon-espace/").content.decode()
    assert all(title in profile for title in ("Atelier", "Séminaire", "Visite"))
