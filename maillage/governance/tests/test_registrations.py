"""Bodies, meetings and registrations: the rules, the race for the last seat, the API and
the iCalendar files."""

import threading
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from maillage.cooperations.tests.factories import PersonFactory
from maillage.core.exceptions import Conflict
from maillage.governance import selectors, services
from maillage.governance.models import Meeting, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cooperation):
    """Cap Rural's exploration session: 20 places, registration before a deadline, a condition."""
    cooperation.visibility = "public"
    cooperation.save()
    start = timezone.now() + timedelta(days=10)
    return services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Session d’exploration",
        start=start,
        end=start + timedelta(hours=7),
        capacity=20,
        registration_deadline=start - timedelta(days=6),
        registration_condition="Cotisation annuelle à Cap Rural",
        open_registration=True,
        when_full="refuse",  # Cap Rural's session: 20 places, no waiting list
        visibility="public",
    )


def register(meeting, n, *, confirm=True, **kwargs):
    """A visitor registers and, with `confirm`, opens the mailed link."""
    registration = services.registration_create(
        meeting=meeting,
        name=f"Personne {n}",
        email=f"p{n}@exemple.test",
        condition_accepted=True,
        **kwargs,
    )
    if confirm and registration.status == "pending":
        registration = services.registration_confirm(registration=registration)
    return registration


def test_the_21st_is_refused_and_nothing_written(session):
    for n in range(20):
        register(session, n)
    with pytest.raises(Conflict):
        register(session, 20)
    assert session.registrations.count() == 20


def test_a_waiting_list_moves_up_when_someone_cancels(session, django_capture_on_commit_callbacks):
    session.capacity, session.when_full = 1, "waiting_list"
    session.save()
    first = register(session, 1)
    second = register(session, 2)
    assert second.status == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first)
    assert promoted == second and Registration.objects.get(pk=second.pk).status == "confirmed"
    assert mail.outbox[-1].to == ["p2@exemple.test"]


def test_visitors_confirm_by_the_mailed_link(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(session, 1, confirm=False)
    assert registration.status == "pending"
    assert f"/inscription/{registration.token}/" in mail.outbox[-1].body
    services.registration_confirm(registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"email": "pas-une-adresse"}, ValidationError),
        ({"condition_accepted": False}, ValidationError),
        ({"name": " "}, ValidationError),
    ],
)
def test_bad_registrations_are_explained(session, change, error):
    data = {"name": "Zoé", "email": "zoe@exemple.test", "condition_accepted": True, **change}
    with pytest.raises(error):
        services.registration_create(meeting=session, **data)
    assert not session.registrations.exists()


def test_twice_the_same_address_and_after_the_deadline_are_refused(session):
    register(session, 1)
    with pytest.raises(Conflict):
        register(session, 1)
    Meeting.objects.filter(pk=session.pk).update(
        registration_deadline=timezone.now() - timedelta(hours=1)
    )
    session.refresh_from_db()
    with pytest.raises(Conflict):
        register(session, 2)


def test_members_only_meetings_refuse_visitors_and_outsiders(session, nadia, etienne):
    session.open_registration = False
    session.save()
    with pytest.raises(PermissionDenied):
        register(session, 1)
    with pytest.raises(PermissionDenied):
        register(session, 2, user=nadia)
    own = services.registration_create(
        meeting=session, user=etienne, name="Étienne", email=etienne.email, condition_accepted=True
    )
    assert own.status == "confirmed"


def test_a_meeting_ending_before_it_starts_and_a_mandate_ending_before_it_starts(cooperation):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=None, cooperation=cooperation, title="X", start=now, end=now - timedelta(hours=1)
        )
    assert "end" in error.value.message_dict
    body = services.body_create(
        actor=None, cooperation=cooperation, name="Comité de suivi", kind="monitoring_committee"
    )
    with pytest.raises(ValidationError) as error:
        services.body_member_add(
            actor=None,
            body=body,
            person=PersonFactory.create(),
            start_date=date(2020, 1, 1),
            end_date=date(2019, 1, 1),
        )
    assert "end_date" in error.value.message_dict


def test_a_body_meets_its_rule(cooperation, claire):
    body = services.body_create(
        actor=claire,
        cooperation=cooperation,
        name="Comité de suivi",
        kind="monitoring_committee",
        meetings_per_year=1,
    )
    [listed] = selectors.body_list(claire, cooperation)
    assert selectors.rule_met(listed) is False
    start = timezone.now() - timedelta(hours=3)
    services.meeting_create(
        actor=claire,
        cooperation=cooperation,
        body=body,
        title="Comité",
        start=start,
        end=start + timedelta(hours=2),
    )
    [listed] = selectors.body_list(claire, cooperation)
    assert selectors.rule_met(listed) is True
    assert listed.last_meeting is not None  # type: ignore[attr-defined]


def test_only_coordinators_organise(etienne, cooperation):
    with pytest.raises(PermissionDenied):
        services.body_create(actor=etienne, cooperation=cooperation, name="X", kind="other")


def test_the_api_registers_and_answers_409_when_full(client, session):
    session.capacity = 1
    session.save()
    url = f"/api/v1/meetings/{session.pk}/registrations"
    body = {
        "name": "Zoé",
        "email": "zoe@exemple.test",
        "organisation": "Cap Rural",
        "condition_accepted": True,
    }
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    services.registration_confirm(registration=Registration.objects.get())  # the mailed link
    response = client.post(
        url, {**body, "email": "yves@exemple.test"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["detail"]
    detail = client.get(f"/api/v1/meetings/{session.pk}").json()
    assert detail["registered_count"] == 1 and detail["capacity"] == 1
    assert detail["start"][-6:] in {"+01:00", "+02:00"}
    listed = client.get(
        "/api/v1/meetings", {"cooperation": session.cooperation_id, "upcoming": "true"}
    ).json()
    assert [m["id"] for m in listed["items"]] == [session.pk]


def test_icalendar_files_parse(client, session):
    for url in (
        f"/meetings/{session.pk}.ics",
        f"/cooperations/{session.cooperation.slug}/calendar.ics",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        parsed = Calendar.from_ical(response.content)
        [event] = parsed.walk("VEVENT")
        assert str(event["SUMMARY"]) == "Session d’exploration"
        assert event.decoded("DTSTART").tzinfo is not None
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Paris"


def test_pages(client, session, claire):
    assert client.get(f"/cooperations/{session.cooperation.slug}/reunions/").status_code == 200
    page = f"/cooperations/{session.cooperation.slug}/reunions/{session.pk}/"
    response = client.post(
        page, {"name": "Zoé", "email": "zoe@exemple.test", "condition_accepted": "on"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert client.get(f"/inscription/{registration.token}/").status_code == 200
    client.post(f"/inscription/{registration.token}/", {"action": "cancel"})
    assert Registration.objects.get().status == "cancelled"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_seat_at_once(cooperation):
    """On PostgreSQL, two connections at once: exactly one gets the seat (row lock)."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real concurrent connections (PostgreSQL)")
    cooperation.visibility = "public"  # public registration needs a public meeting
    cooperation.save()
    start = timezone.now() + timedelta(days=3)
    meeting = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Dernière place",
        start=start,
        end=start + timedelta(hours=1),
        capacity=1,
        visibility="public",
        open_registration=True,
        when_full="refuse",  # the second is told it is full (no waiting list)
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(n: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            register(meeting, n)
            outcomes.append("seat")
        except Conflict:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full", "seat"]
    # Both asked; the seat went to one confirmation, the other was told it is full.
    assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 1


def test_visitors_registrations_are_limited_on_the_page_and_in_the_api(
    client, claire, session, settings
):
    """Each visitor's registration mails a confirmation: past ANONYMOUS_WRITE_RATE per client
    address the page says to wait and the API answers 429, and nothing is written."""
    settings.ANONYMOUS_WRITE_RATE = "2/h"
    page = session.get_absolute_url()
    api = f"/api/v1/meetings/{session.pk}/registrations"

    def by_page(n):
        data = {"name": f"V{n}", "email": f"v{n}@exemple.test", "condition_accepted": "on"}
        return client.post(page, data)

    def by_api(n):
        data = {"name": f"V{n}", "email": f"v{n}@exemple.test", "condition_accepted": True}
        return client.post(api, data, content_type="application/json")

    assert by_page(1).status_code == 302
    assert by_api(2).status_code == 201
    refused_page, refused_api = by_page(3), by_api(4)
    assert refused_page.status_code == 429
    assert "Trop de demandes depuis votre connexion" in refused_page.content.decode()
    assert refused_api.status_code == 429 and int(refused_api["Retry-After"]) > 0
    assert "Trop de demandes" in refused_api.json()["detail"]
    assert session.registrations.count() == 2
    # Another address is another visitor; a signed-in member is not limited by it.
    other = client.post(
        api,
        {"name": "W", "email": "w@exemple.test", "condition_accepted": True},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 201
    client.force_login(claire)
    assert by_api(5).status_code == 201


def test_unconfirmed_addresses_hold_no_seat_and_expire(session):
    """Twenty invented addresses used to fill a twenty-seat session: now a seat is taken when
    the mailed link is opened, and a link left unopened expires after two days."""
    session.capacity = 2
    session.save()
    invented = [register(session, n, confirm=False) for n in range(20)]
    assert {r.status for r in invented} == {"pending"}
    real = register(session, 100)
    assert real.status == "confirmed"
    counted = selectors.meeting_list(AnonymousUser(), session.cooperation).get(pk=session.pk)
    assert counted.registered_count == 1  # type: ignore[attr-defined]
    two_days_ago = timezone.now() - timedelta(days=services.PENDING_DAYS, minutes=1)
    Registration.objects.filter(status="pending").update(created_at=two_days_ago)
    invented[0].refresh_from_db()
    with pytest.raises(Conflict, match="expiré"):
        services.registration_confirm(registration=invented[0])
    again = register(session, 0)  # the same address may register again once it expired
    assert again.status == "confirmed"


def test_the_last_seat_goes_to_whoever_confirms_first(session):
    session.capacity, session.when_full = 1, "waiting_list"
    session.save()
    first, second = register(session, 1, confirm=False), register(session, 2, confirm=False)
    assert services.registration_confirm(registration=second).status == "confirmed"
    assert services.registration_confirm(registration=first).status == "waiting"


def test_a_member_confirms_their_own_address_only(session, etienne):
    """A member registering someone else's address (or an invented one) waits for that
    address to confirm, as a visitor would."""
    other = services.registration_create(
        meeting=session,
        user=etienne,
        name="Autre",
        email="autre@exemple.test",
        condition_accepted=True,
    )
    assert other.status == "pending"
    with pytest.raises(Conflict):
        services.registration_create(
            meeting=session,
            user=etienne,
            name="Encore",
            email="AUTRE@exemple.test",
            condition_accepted=True,
        )


def test_a_registered_member_sees_where_they_stand_and_can_cancel(client, claire, session):
    """After registering, the page still showed the form: it says "inscrit·e" or the rank on
    the waiting list, offers to cancel, and shows no condition box where there is none."""
    from maillage.governance.models import Registration

    session.capacity = 1
    session.when_full = "waiting_list"
    session.save()
    register(session, 1)  # the only seat
    client.force_login(claire)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "M’inscrire" in page and "condition de participation" in page
    response = client.post(
        session.get_absolute_url(),
        {"name": "Claire", "email": claire.email, "condition_accepted": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "liste d’attente, au rang 1" in page and "M’inscrire" not in page
    assert "Annuler mon inscription" in page
    mine = Registration.objects.get(email=claire.email)
    client.post(f"/inscription/{mine.token}/", {"action": "cancel"})
    assert "M’inscrire" in client.get(session.get_absolute_url()).content.decode()
    session.registration_condition = ""
    session.save()
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'name="condition_accepted"' not in page  # no condition: nothing to tick


def _ics(message) -> Calendar:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    return Calendar.from_ical(attachment[1])


def test_a_confirmed_seat_comes_with_the_ics_and_a_promotion_says_so(
    session, django_capture_on_commit_callbacks
):
    session.capacity, session.when_full = 1, "waiting_list"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = register(session, 1, confirm=False)
    assert not mail.outbox[-1].attachments  # the link to confirm: no seat yet
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_confirm(registration=first)
    event = _ics(mail.outbox[-1]).walk("VEVENT")[0]
    assert str(event["summary"]) == "Session d’exploration" and "confirmée" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        second = register(session, 2)
    assert second.status == "waiting" and not mail.outbox[-1].attachments
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    assert mail.outbox[-1].to == ["p2@exemple.test"]
    assert "Une place s’est libérée" in mail.outbox[-1].body
    assert _ics(mail.outbox[-1]).walk("VEVENT")[0]["uid"] == f"meeting-{session.pk}@maillage"


def test_registrants_are_reminded_once_two_days_before(
    session, cooperation, django_capture_on_commit_callbacks
):
    soon = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Matinée santé",
        start=timezone.now() + timedelta(days=1),
        end=timezone.now() + timedelta(days=1, hours=3),
        place="Delémont",
        open_registration=True,
        visibility="public",
    )
    confirmed = register(soon, 1)
    register(soon, 2, confirm=False)  # never confirmed: no reminder
    cancelled = register(soon, 3)
    services.registration_cancel(registration=cancelled)
    register(session, 4)  # in ten days: not yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registrations_remind() == 1
    (message,) = mail.outbox
    assert message.to == [confirmed.email] and "Delémont" in message.body
    assert _ics(message).walk("VEVENT")[0]["summary"] == "Matinée santé"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registrations_remind() == 0  # once
    assert len(mail.outbox) == 1


def test_the_daily_command_says_how_many_it_reminded(session):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("remind_registrants", stdout=out)
    assert out.getvalue().startswith("0 rappel")


def test_registrants_answer_the_organisers_questions_page_api_and_sheet(cooperation, session):
    from django.test import Client

    session.registration_questions = "Votre fonction ?\n\nRégime alimentaire ?\n"
    session.save()
    assert session.questions == ["Votre fonction ?", "Régime alimentaire ?"]
    with pytest.raises(ValidationError) as refused:
        register(session, 1, answers={"Votre fonction ?": "Chargée de mission"})
    assert "Régime alimentaire ?" in str(refused.value.message_dict["answers"])
    assert not session.registrations.exists()  # nothing half-written
    answers = {"Votre fonction ?": "Élue", "Régime alimentaire ?": "Végétarien", "Autre": "x"}
    registration = register(session, 1, answers=answers)
    assert registration.answers == {
        "Votre fonction ?": "Élue",
        "Régime alimentaire ?": "Végétarien",
    }
    page = Client().post(
        session.get_absolute_url(),
        {
            "name": "Zoé",
            "email": "zoe@exemple.test",
            "condition_accepted": "on",
            "answer_0": "Technicienne",
            "answer_1": "",
        },
    )
    assert page.status_code == 200 and "answer_1" in page.context["form"].errors
    api = Client().post(
        f"/api/v1/meetings/{session.pk}/registrations",
        {
            "name": "Yann",
            "email": "yann@exemple.test",
            "condition_accepted": True,
            "answers": {"Votre fonction ?": "Directeur", "Régime alimentaire ?": "Aucun"},
        },
        content_type="application/json",
    )
    assert api.status_code == 201
    assert (
        Registration.objects.get(email="yann@exemple.test").answers["Votre fonction ?"]
        == "Directeur"
    )
    header, rows = selectors.sign_in_rows(session)
    assert header[5:7] == ["Votre fonction ?", "Régime alimentaire ?"]
    assert rows[0][5:7] == ["Élue", "Végétarien"]
