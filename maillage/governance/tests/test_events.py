"""An organisation's public events (a resource centre's session, not a cooperation's meeting):
who announces them, their page on the organisation's, registrations as for any meeting, and
what they do not have (agenda, minutes, attendance, documents)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.cooperations.tests.factories import OrganisationFactory
from maillage.core import search
from maillage.core.exceptions import Conflict
from maillage.core.testing import assert_constant_queries, assert_permission_matrix
from maillage.governance import services
from maillage.governance.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_rural(db):
    return OrganisationFactory.create(name="Cap Rural", kind="association")


def announce(actor, organiser, title="Session d’exploration", days=10, **fields):
    start = timezone.now() + timedelta(days=days)
    fields.setdefault("capacity", 20)
    fields.setdefault("open_registration", True)
    return services.event_create(
        actor=actor,
        organiser=organiser,
        title=title,
        start=start,
        end=start + timedelta(hours=7),
        registration_deadline=start - timedelta(days=1),
        registration_condition="Cotisation annuelle à Cap Rural",
        **fields,
    )


@pytest.fixture
def session(cap_rural, claire):
    return announce(claire, cap_rural)


# Services ---------------------------------------------------------------------------------------


def test_those_who_keep_the_directory_announce_an_organisations_event(cap_rural, claire, etienne):
    event = announce(claire, cap_rural)
    assert (event.cooperation, event.organiser, event.visibility) == (None, cap_rural, "public")
    assert event.get_absolute_url() == f"/evenements/{event.pk}/"
    with pytest.raises(PermissionDenied):
        announce(etienne, cap_rural)
    with pytest.raises(ValueError, match="body"):
        announce(claire, cap_rural, body=None)


def test_an_event_is_public_and_of_a_cooperation_or_an_organisation(cap_rural, cooperation):
    start = timezone.now()
    private = Meeting(
        organiser=cap_rural,
        title="Privé",
        start=start,
        end=start + timedelta(hours=1),
        visibility="partners",
    )
    with pytest.raises(ValidationError):
        private.full_clean()
    orphan = Meeting(title="Sans personne", start=start, end=start + timedelta(hours=1))
    with pytest.raises(ValidationError):
        orphan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        orphan.save()
    both = Meeting(
        cooperation=cooperation,
        organiser=cap_rural,
        title="Les deux",
        start=start,
        end=start + timedelta(hours=1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_an_event_has_no_agenda_minutes_attendance_nor_documents(session, claire):
    with pytest.raises(Conflict):
        services.agenda_item_add(actor=claire, meeting=session, title="Accueil")
    with pytest.raises(Conflict):
        services.minutes_save(actor=claire, meeting=session, text="Relevé")
    with pytest.raises(Conflict):
        services.meeting_document_add(actor=claire, meeting=session, title="Programme")
    assert not session.agenda.exists()


def test_registrations_promotion_and_cancellation_as_for_any_meeting(
    session, claire, django_capture_on_commit_callbacks
):
    session.capacity = 1
    session.save()
    first = services.registration_create(
        meeting=session, name="Anne", email="anne@exemple.test", condition_accepted=True
    )
    services.registration_confirm(registration=first)
    second = services.registration_create(
        meeting=session, name="Bruno", email="bruno@exemple.test", condition_accepted=True
    )
    second = services.registration_confirm(registration=second)
    assert second.status == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == "confirmed" and mail.outbox[-1].to == ["bruno@exemple.test"]
    # Cancelling the event tells the registrants; its link leads to the organiser's page.
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_delete(actor=claire, meeting=session)
    assert mail.outbox[-1].to == ["bruno@exemple.test"]
    assert session.organiser.get_absolute_url() in mail.outbox[-1].body


# Pages ------------------------------------------------------------------------------------------


def test_a_visitor_finds_it_on_the_organisations_page_and_registers(session, cap_rural):
    client = Client()
    page = client.get(cap_rural.get_absolute_url()).content.decode()
    assert "Session d’exploration" in page and "0 inscrits sur 20 places" in page
    event_page = client.get(session.get_absolute_url())
    assert event_page.status_code == 200 and event_page.context["form"] is not None
    response = client.post(
        session.get_absolute_url(),
        {"name": "Anne", "email": "anne@exemple.test", "condition_accepted": "on"},
    )
    assert response.status_code == 302
    assert session.registrations.get().status == "pending"
    # Nothing half-written on bad input.
    again = client.post(session.get_absolute_url(), {"name": "", "email": "pas-une-adresse"})
    assert again.status_code == 200 and session.registrations.count() == 1


def test_who_organises_an_event_from_the_pages(cast, session):
    organisers = {"coordinator": 200, "staff": 200}
    assert_permission_matrix(
        cast,
        lambda client: client.get(f"/evenements/{session.pk}/modifier/"),
        {
            "anonymous": 302,
            "outsider": 403,
            "observer": 403,
            "funder": 403,
            "project_contact": 403,
            "body_member": 403,
            **organisers,
        },
    )
    assert_permission_matrix(
        cast,
        lambda client: client.get(f"/evenements/{session.pk}/emargement/"),
        {
            "anonymous": 302,
            "outsider": 403,
            "observer": 403,
            "funder": 403,
            "project_contact": 403,
            "body_member": 403,
            **organisers,
        },
    )
    # The registrations are listed to its organisers only.
    visitor = Client().get(session.get_absolute_url())
    assert visitor.context["registrations"] is None


def test_announcing_and_changing_an_event_from_the_organisations_page(cap_rural, claire):
    client = Client()
    client.force_login(claire)
    start = (timezone.localtime() + timedelta(days=30)).replace(second=0, microsecond=0)
    form = {
        "title": "Matinée des centres de ressources",
        "kind": "event",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
        "open_registration": "on",
        "when_full": "waiting_list",
    }
    response = client.post(f"/evenements/nouveau/?structure={cap_rural.pk}", form)
    event = Meeting.objects.get(title="Matinée des centres de ressources")
    assert response.status_code == 302 and event.organiser == cap_rural
    bad = client.post(f"/evenements/{event.pk}/modifier/", {**form, "end": form["start"]})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client.post(f"/evenements/{event.pk}/supprimer/").status_code == 302
    assert not Meeting.objects.filter(pk=event.pk).exists()
    assert client.get("/evenements/nouveau/?structure=999999").status_code == 404


def test_a_cooperations_meeting_is_not_an_event_page(cooperation, claire):
    start = timezone.now() + timedelta(days=3)
    meeting = services.meeting_create(
        actor=claire,
        cooperation=cooperation,
        title="Comité",
        start=start,
        end=start + timedelta(hours=1),
    )
    client = Client()
    client.force_login(claire)
    assert client.get(f"/evenements/{meeting.pk}/modifier/").status_code == 404
    assert client.get(f"/evenements/{meeting.pk}/")["Location"] == meeting.get_absolute_url()


def test_the_organisations_page_costs_the_same_whatever_its_events(cap_rural, claire):
    client = Client()
    announce(claire, cap_rural)

    def grow():
        for number in range(6):
            announce(claire, cap_rural, title=f"Session {number}", days=number - 3)

    assert_constant_queries(lambda: client.get(cap_rural.get_absolute_url()), grow)


# API, search, home ------------------------------------------------------------------------------


def test_the_api_reads_registers_and_refuses_what_an_event_has_not(session, claire, cast):
    client = Client()
    detail = client.get(f"/api/v1/meetings/{session.pk}").json()
    assert detail["cooperation_id"] is None and detail["organiser_id"] == session.organiser_id
    made = client.post(
        f"/api/v1/meetings/{session.pk}/registrations",
        {"name": "Anne", "email": "anne@exemple.test", "condition_accepted": True},
        content_type="application/json",
    )
    assert made.status_code == 201
    listed = f"/api/v1/meetings/{session.pk}/registrations"
    organisers = {"coordinator": 200, "staff": 200}
    assert_permission_matrix(
        cast,
        lambda c: c.get(listed),
        {
            "anonymous": 401,
            "outsider": 403,
            "observer": 403,
            "funder": 403,
            "project_contact": 403,
            "body_member": 403,
            **organisers,
        },
    )
    client.force_login(claire)
    agenda = client.post(
        f"/api/v1/meetings/{session.pk}/agenda",
        {"title": "Accueil"},
        content_type="application/json",
    )
    assert agenda.status_code == 409
    assert client.get(f"/api/v1/meetings/{session.pk}/documents").json() == []
    changed = client.patch(
        f"/api/v1/meetings/{session.pk}", {"place": "Valence TGV"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["place"] == "Valence TGV"
    refused = client.patch(
        f"/api/v1/meetings/{session.pk}",
        {"visibility": "partners"},
        content_type="application/json",
    )
    assert refused.status_code == 400


def test_the_api_announces_and_lists_an_organisations_events(cap_rural, claire, etienne):
    url = f"/api/v1/organisations/{cap_rural.pk}/events"
    start = timezone.now() + timedelta(days=20)
    payload = {
        "title": "Session du printemps",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=3)).isoformat(),
        "capacity": 15,
        "open_registration": True,
    }
    client = Client()
    client.force_login(etienne)
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.force_login(claire)
    made = client.post(url, payload, content_type="application/json")
    assert made.status_code == 201 and made.json()["organiser_id"] == cap_rural.pk
    bad = client.post(url, {**payload, "end": payload["start"]}, content_type="application/json")
    assert bad.status_code == 400 and Meeting.objects.count() == 1
    listed = Client().get(url + "?upcoming=true").json()
    assert [item["title"] for item in listed["items"]] == ["Session du printemps"]
    assert Client().get("/api/v1/organisations/999999/events").status_code == 404


def test_visitors_find_it_in_the_search_and_on_the_home_page(
    cap_rural, claire, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = announce(claire, cap_rural, title="Exploration ville-campagne")
    visitor = UserFactory.create()
    assert [hit.entry.object_id for hit in search.search(visitor, "exploration").hits] == [event.pk]
    home = Client().get("/").content.decode()
    assert "Exploration ville-campagne" in home and "Cap Rural" in home
