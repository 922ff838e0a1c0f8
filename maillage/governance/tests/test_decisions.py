"""Decisions that change projects, minutes through their cycle, attendance and quorum."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillage.cooperations.tests.factories import CooperationFactory, PersonFactory
from maillage.core.exceptions import Conflict
from maillage.governance import services
from maillage.governance.models import Decision
from maillage.projects import services as project_services
from maillage.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    return services.body_create(
        actor=None,
        cooperation=cooperation,
        name="Comité de suivi",
        kind="monitoring_committee",
        quorum=2,
        visibility="public",
    )


@pytest.fixture
def sitting(committee):
    start = timezone.now() - timedelta(days=30)
    return services.meeting_create(
        actor=None,
        cooperation=committee.cooperation,
        body=committee,
        title="Comité 1",
        start=start,
        end=start + timedelta(hours=2),
        visibility="public",
    )


def test_a_decision_on_a_project_journals_it_and_changes_its_status(claire, committee, sitting):
    project = project_services.project_create(
        actor=None, cooperation=committee.cooperation, title="Chaufferie", status="ready"
    )
    decision = services.decision_record(
        actor=claire,
        body=committee,
        meeting=sitting,
        date=date(2025, 11, 15),
        kind="programming",
        text="Le comité engage la chaufferie.",
        projects=[project],
        project_status="engaged",
    )
    assert decision.number == 1
    project.refresh_from_db()
    assert project.status == "engaged"
    assert project.journal.filter(kind="decision", text__contains="n° 1").exists()
    assert project.journal.filter(kind="status", status_after="engaged").exists()
    second = services.decision_record(
        actor=claire, body=committee, date=date(2025, 11, 15), kind="opinion", text="Avis."
    )
    assert second.number == 2


def test_a_decision_on_a_project_of_another_cooperation_changes_nothing(claire, committee):
    foreign = project_services.project_create(
        actor=None, cooperation=CooperationFactory.create(), title="Ailleurs", status="ready"
    )
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=claire,
            body=committee,
            date=date(2025, 1, 1),
            kind="approval",
            text="X",
            projects=[foreign],
            project_status="engaged",
        )
    assert "projects" in error.value.message_dict
    assert not Decision.objects.exists()
    assert Project.objects.get(pk=foreign.pk).status == "ready"


def test_only_coordinators_decide(etienne, committee):
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=etienne, body=committee, date=date(2025, 1, 1), kind="approval", text="X"
        )


def test_minutes_go_draft_circulated_approved_at_a_later_meeting_then_published(
    claire, committee, sitting
):
    minutes = services.minutes_save(actor=claire, meeting=sitting, text="Présents : …")
    with pytest.raises(Conflict):
        services.minutes_advance(actor=claire, minutes=minutes, status="published")
    services.minutes_advance(actor=claire, minutes=minutes, status="circulated")
    with pytest.raises(ValidationError):
        services.minutes_advance(
            actor=claire, minutes=minutes, status="approved", approved_at=sitting
        )
    start = timezone.now() - timedelta(days=1)
    later = services.meeting_create(
        actor=None,
        cooperation=committee.cooperation,
        body=committee,
        title="Comité 2",
        start=start,
        end=start + timedelta(hours=1),
    )
    services.minutes_advance(actor=claire, minutes=minutes, status="approved", approved_at=later)
    services.minutes_advance(actor=claire, minutes=minutes, status="published")
    with pytest.raises(Conflict):
        services.minutes_save(actor=claire, meeting=sitting, text="Réécrit")


def test_attendance_counts_toward_the_quorum(claire, sitting):
    assert services.quorum_reached(sitting) is False
    services.attendance_record(
        actor=claire, meeting=sitting, person=PersonFactory.create(), status="present"
    )
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=claire, meeting=sitting, person=PersonFactory.create(), status="represented"
        )
    services.attendance_record(
        actor=claire,
        meeting=sitting,
        person=PersonFactory.create(),
        status="represented",
        represented_by="Son adjoint",
    )
    assert services.quorum_reached(sitting) is True


def test_the_register_page_and_api(client, claire, committee, sitting, etienne):
    project = project_services.project_create(
        actor=None, cooperation=committee.cooperation, title="Voie verte", visibility="public"
    )
    client.force_login(claire)
    response = client.post(
        "/api/v1/decisions",
        {
            "body_id": committee.pk,
            "meeting_id": sitting.pk,
            "date": "2025-11-15",
            "kind": "funding",
            "text": "Subvention accordée.",
            "project_ids": [project.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["number"] == 1
    client.force_login(etienne)
    assert (
        client.post(
            "/api/v1/decisions",
            {"body_id": committee.pk, "date": "2025-11-15", "kind": "funding", "text": "X"},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.logout()
    listed = client.get(
        "/api/v1/decisions", {"cooperation": committee.cooperation_id, "project": project.pk}
    ).json()
    assert [d["text"] for d in listed["items"]] == ["Subvention accordée."]
    page = client.get(
        f"/cooperations/{committee.cooperation.slug}/decisions/",
        {"annee": "2025", "q": "Subvention"},
    )
    assert "Subvention accordée." in page.content.decode()


def test_a_coordinator_runs_the_cycle_on_the_meeting_page(client, claire, committee, sitting):
    project = project_services.project_create(
        actor=None, cooperation=committee.cooperation, title="Réseau", status="ready"
    )
    client.force_login(claire)
    base = f"/cooperations/{committee.cooperation.slug}/reunions/{sitting.pk}/"
    person = PersonFactory.create()
    client.post(base + "presence/", {"person": person.pk, "status": "present"})
    client.post(
        base + "decision/",
        {
            "kind": "programming",
            "date": "2025-11-15",
            "text": "Engagé.",
            "projects": [project.pk],
            "project_status": "engaged",
        },
    )
    client.post(base + "compte-rendu/", {"text": "Relevé de décisions."})
    client.post(base + "etape-compte-rendu/")
    page = client.get(base)
    assert page.context["minutes"].status == "circulated"
    assert [a.person for a in page.context["attendance"]] == [person]
    assert Project.objects.get(pk=project.pk).status == "engaged"
    client.logout()
    assert client.get(base).context["minutes"] is None  # not published yet


def test_a_coordinator_creates_a_body_and_a_meeting_and_invites_its_members(
    client, claire, cooperation, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(claire)
    base = f"/cooperations/{cooperation.slug}/"
    response = client.post(
        base + "instances/nouvelle/",
        {
            "name": "Comité de suivi",
            "kind": "monitoring_committee",
            "meetings_per_year": "1",
            "visibility": "partners",
        },
    )
    assert response.status_code == 302
    from maillage.governance.models import Body, Meeting

    body = Body.objects.get()
    member = PersonFactory.create(email="membre@exemple.test")
    assert (
        client.post(
            base + f"instances/{body.pk}/membres/", {"person": member.pk, "position": "member"}
        ).status_code
        == 302
    )
    response = client.post(
        base + "reunions/nouvelle/",
        {
            "title": "Comité 2027",
            "kind": "meeting",
            "body": body.pk,
            "start": "2027-01-15T14:00",
            "end": "2027-01-15T17:00",
            "visibility": "partners",
            "when_full": "refuse",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.start).strftime("%H:%M") == "14:00"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base + f"reunions/{meeting.pk}/inviter/")
    assert mail.outbox[-1].to == ["membre@exemple.test"]
    bad = client.post(
        base + "reunions/nouvelle/",
        {
            "title": "Mauvaise",
            "kind": "meeting",
            "start": "2027-01-15T14:00",
            "end": "2027-01-15T13:00",
            "visibility": "partners",
            "when_full": "refuse",
        },
    )
    assert bad.status_code == 200 and Meeting.objects.count() == 1
    sheet = client.get(base + f"reunions/{meeting.pk}/emargement/", {"format": "csv"})
    assert sheet.status_code == 200 and "Signature" in sheet.content.decode()


def test_my_meetings_feed(client, etienne, committee, sitting):
    person = PersonFactory.create(user=etienne)
    services.body_member_add(actor=None, body=committee, person=person)
    client.force_login(etienne)
    response = client.get("/mon-espace/reunions.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "Comité 1" in response.content.decode()


def test_coordinators_are_reminded_of_bodies_at_risk(client, claire, cooperation, capsys):
    from django.core import mail
    from django.core.management import call_command

    body = services.body_create(
        actor=None,
        cooperation=cooperation,
        name="Comité annuel",
        kind="monitoring_committee",
        meetings_per_year=1,
    )
    call_command("remind_governance")
    assert mail.outbox[-1].to == [claire.email] and "Comité annuel" in mail.outbox[-1].subject
    client.force_login(claire)
    assert "Comité annuel" in client.get("/mon-espace/").content.decode()
    start = timezone.now().replace(month=12, day=20)
    services.meeting_create(
        actor=None,
        cooperation=cooperation,
        body=body,
        title="Comité de décembre",
        start=start,
        end=start + timedelta(hours=2),
    )
    mail.outbox.clear()
    call_command("remind_governance")
    assert mail.outbox == []


def test_agenda_items_point_to_the_cooperations_projects(client, claire, committee, sitting):
    project = project_services.project_create(
        actor=None, cooperation=committee.cooperation, title="Réseau", visibility="public"
    )
    foreign = project_services.project_create(
        actor=None, cooperation=CooperationFactory.create(), title="Ailleurs"
    )
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            actor=claire, meeting=sitting, title="Hors sujet", projects=[foreign]
        )
    client.force_login(claire)
    client.post(
        f"/cooperations/{committee.cooperation.slug}/reunions/{sitting.pk}/ordre-du-jour/",
        {"title": "Avancement du réseau", "projects": [project.pk]},
    )
    client.logout()
    page = client.get(f"/cooperations/{committee.cooperation.slug}/reunions/{sitting.pk}/")
    [item] = page.context["agenda"]
    assert item.title == "Avancement du réseau" and list(item.projects.all()) == [project]


def test_a_restricted_meetings_title_stays_out_of_the_register_and_its_exports(
    cast, client, committee
):
    """The committee is public, one of its meetings restricted: its decisions are in the
    register, the meeting's title only for those who may read the meeting."""
    from maillage.core.testing import assert_text_matrix

    start = timezone.now() - timedelta(days=3)
    closed = services.meeting_create(
        actor=None,
        cooperation=committee.cooperation,
        body=committee,
        title="Huis clos budgétaire",
        start=start,
        end=start + timedelta(hours=1),
        visibility="restricted",
    )
    services.decision_record(
        actor=None, meeting=closed, kind="other", date=start.date(), text="Décision publique"
    )
    slug = committee.cooperation.slug
    readers = {"coordinator", "staff"}
    everybody = set(cast)
    page, export = f"/cooperations/{slug}/decisions/", f"/cooperations/{slug}/decisions/export/"
    assert_text_matrix(cast, page, closed.get_absolute_url(), readers)  # its link
    assert_text_matrix(cast, page, "Décision publique", everybody)
    assert_text_matrix(cast, f"{export}?format=csv", "Huis clos budgétaire", readers)
    assert_text_matrix(cast, f"{export}?format=csv", "Décision publique", everybody)


def test_no_decision_before_its_meeting_and_no_status_from_the_future(
    client, claire, committee, cooperation
):
    """A decision recorded on 1 December for a meeting of 15 December made a project
    "Programmé depuis le 15 décembre": a meeting not held yet decides nothing, a decision is
    not dated in the future, and a status change takes effect today at the latest."""
    from maillage.governance.tests.factories import meeting_in

    project = project_services.project_create(actor=None, cooperation=cooperation, title="Halle")
    coming = meeting_in(cooperation, days=14, body=committee)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=claire,
            meeting=coming,
            date=timezone.localdate(),
            kind="opinion",
            text="Avis",
            projects=[project],
            project_status="ready",
        )
    assert "meeting" in refused.value.message_dict
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=claire, body=committee, date=tomorrow, kind="opinion", text="Avis"
        )
    assert "date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        project_services.project_status_set(
            actor=claire, project=project, status="ready", on=tomorrow
        )
    assert "on" in refused.value.message_dict
    project.refresh_from_db()
    assert project.status == "idea" and not Decision.objects.exists()
    assert project.journal.count() == 1  # its creation only
    client.force_login(claire)
    payload = {"meeting_id": coming.pk, "body_id": committee.pk, "date": str(timezone.localdate())}
    response = client.post(
        "/api/v1/decisions", {**payload, "kind": "opinion", "text": "Avis"}, "application/json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "meeting"
    page = client.get(coming.get_absolute_url()).content.decode()
    assert "une fois la réunion tenue" in page
