"""Notifications: made by the services that have something to tell, read in the centre (page,
API, header count), e-mailed by the worker as each user chose — at once, daily, or never."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.models import Invitation
from maillage.cooperations.tests.factories import PersonFactory
from maillage.core.enums import Role, Visibility
from maillage.core.testing import assert_constant_queries
from maillage.governance import services as governance_services
from maillage.governance.enums import BodyKind, DecisionKind
from maillage.governance.tests.factories import meeting_in
from maillage.notifications import selectors, services
from maillage.notifications.enums import Frequency, NotificationKind
from maillage.notifications.models import Notification, Preference


def tell(users, actor=None, title="Une nouvelle", kind=NotificationKind.DECISION):
    return services.notify(
        recipients=users,
        kind=kind,
        title=title,
        text="Le détail.",
        url="/cooperations/",
        actor=actor,
    )


# Services ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_is_not_told_of_ones_own_act_nor_an_inactive_account(claire, etienne, oscar):
    oscar.is_active = False
    oscar.save()
    made = tell([claire, etienne, oscar, etienne], actor=claire)
    assert [n.user for n in made] == [etienne]


@pytest.mark.django_db
def test_each_user_is_emailed_as_chosen_for_the_kind(
    claire, etienne, oscar, django_capture_on_commit_callbacks
):
    services.preferences_set(user=etienne, frequencies={NotificationKind.DECISION: Frequency.DAILY})
    services.preferences_set(user=oscar, frequencies={NotificationKind.DECISION: Frequency.NEVER})
    with django_capture_on_commit_callbacks(execute=True):
        tell([claire, etienne, oscar])
    assert [message.to for message in mail.outbox] == [[claire.email]]
    assert mail.outbox[0].subject == "Une nouvelle"
    assert mail.outbox[0].body == "Le détail.\n\nhttp://127.0.0.1:8000/cooperations/\n"
    # Every one of them finds it in the centre, whatever the e-mail.
    assert all(selectors.unread_count(user) == 1 for user in (claire, etienne, oscar))
    # Another kind keeps the default: at once.
    with django_capture_on_commit_callbacks(execute=True):
        tell([oscar], kind=NotificationKind.FORUM)
    assert mail.outbox[-1].to == [oscar.email]


@pytest.mark.django_db
def test_the_daily_digest_gathers_what_is_due_once(
    claire, etienne, django_capture_on_commit_callbacks
):
    services.preferences_set(
        user=etienne,
        frequencies=dict.fromkeys(NotificationKind.values, Frequency.DAILY),
    )
    tell([etienne], title="Première")
    tell([etienne], title="Seconde", kind=NotificationKind.MINUTES)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notification_digest", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [etienne.email]
    assert "(2)" in mail.outbox[0].subject
    assert "- Première" in mail.outbox[0].body and "- Seconde" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests() == 0  # sent already
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_address_with_an_account_is_notified_the_others_emailed(
    claire, etienne, django_capture_on_commit_callbacks
):
    services.preferences_set(user=etienne, frequencies={NotificationKind.MEETING: Frequency.NEVER})
    with django_capture_on_commit_callbacks(execute=True):
        told = services.notify_addresses(
            emails=["ETIENNE@exemple.test", "sans.compte@exemple.test", ""],
            kind=NotificationKind.MEETING,
            title="Invitation",
            text="Venez.",
            url="/reunions/1/",
        )
    assert told == 2
    assert Notification.objects.get().user == etienne
    assert [message.to for message in mail.outbox] == [["sans.compte@exemple.test"]]


@pytest.mark.django_db
def test_an_unknown_kind_or_frequency_is_refused_and_nothing_written(etienne):
    with pytest.raises(ValidationError) as refused:
        services.preferences_set(
            user=etienne,
            frequencies={NotificationKind.FORUM: Frequency.DAILY, "météo": Frequency.DAILY},
        )
    assert "météo" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.preferences_set(user=etienne, frequencies={NotificationKind.FORUM: "hourly"})
    assert not Preference.objects.exists()


@pytest.mark.django_db
def test_reading_one_or_all(claire, etienne):
    first, *_ = tell([etienne]) + tell([etienne]) + tell([claire])
    services.mark_read(user=etienne, notification=first)
    assert selectors.unread_count(etienne) == 1
    with pytest.raises(ValueError, match="Not this user"):
        services.mark_read(user=claire, notification=first)
    assert services.mark_all_read(user=etienne) == 1
    assert selectors.unread_count(etienne) == 0 and selectors.unread_count(claire) == 1


# What the other apps tell -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_comment_tells_the_proposals_author_and_coordinators_not_a_reader_of_nothing(
    cooperation, claire, etienne, paula, oscar
):
    proposal = cooperation_services.proposal_create(
        actor=etienne, cooperation=cooperation, title="Navette Brest–Carhaix"
    )
    assert [n.user for n in Notification.objects.all()] == [claire]  # the coordinator
    cooperation_services.proposal_comment(actor=paula, proposal=proposal, text="Bonne idée.")
    told = {n.user for n in Notification.objects.filter(title__startswith="Commentaire")}
    assert told == {etienne, claire}
    Notification.objects.all().delete()
    cooperation_services.proposal_update(
        actor=claire, proposal=proposal, visibility=Visibility.RESTRICTED
    )
    cooperation_services.proposal_comment(actor=claire, proposal=proposal, text="Restreinte.")
    # Paula commented, but may no longer read it; the author is named on it.
    assert {n.user for n in Notification.objects.all()} == {etienne}
    assert oscar not in {n.user for n in Notification.objects.all()}


@pytest.mark.django_db
def test_governance_tells_invitees_members_and_readers(
    cooperation, claire, etienne, oscar, nadia, django_capture_on_commit_callbacks
):
    body = governance_services.body_create(
        actor=claire,
        cooperation=cooperation,
        name="Comité de pilotage",
        kind=BodyKind.STEERING_COMMITTEE,
    )
    governance_services.body_member_add(
        actor=claire, body=body, person=PersonFactory.create(email=nadia.email)
    )
    meeting = meeting_in(cooperation, days=10, body=body, title="Comité de juin")
    with django_capture_on_commit_callbacks(execute=True):
        governance_services.meeting_invite(actor=claire, meeting=meeting)
    assert Notification.objects.get().user == nadia
    assert mail.outbox[0].to == [nadia.email]

    Notification.objects.all().delete()
    governance_services.meeting_update(actor=claire, meeting=meeting, title="Comité de juin (2)")
    assert not Notification.objects.exists()  # the title is not a practicality
    governance_services.meeting_update(
        actor=claire,
        meeting=meeting,
        start=meeting.start + timedelta(hours=1),
        end=meeting.end + timedelta(hours=1),
    )
    assert Notification.objects.get().title == "Réunion modifiée : Comité de juin (2)"

    Notification.objects.all().delete()
    governance_services.decision_record(
        actor=claire,
        body=body,
        text="Le plan est adopté.",
        kind=DecisionKind.APPROVAL,
        date=timezone.localdate(),
    )
    assert {n.user for n in Notification.objects.all()} == {etienne, oscar}

    Notification.objects.all().delete()
    minutes = governance_services.minutes_save(
        actor=claire, meeting=meeting, text="Relevé.", visibility=Visibility.RESTRICTED
    )
    governance_services.minutes_advance(actor=claire, minutes=minutes)
    assert not Notification.objects.exists()  # restricted: only the coordinator, who wrote it


@pytest.mark.django_db
def test_an_invitation_to_an_account_is_a_notification(cooperation, claire, nadia):
    cooperation_services.invitation_create(
        actor=claire, cooperation=cooperation, email=nadia.email, role=Role.OBSERVER
    )
    invitation = Invitation.objects.get(email=nadia.email)
    notification = Notification.objects.get(user=nadia)
    assert notification.kind == NotificationKind.INVITATION
    assert notification.url == reverse(
        "cooperations:invitation", kwargs={"token": invitation.token}
    )


# Pages and API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_centre_shows_ones_own_and_the_header_counts_them(etienne, claire):
    tell([etienne], title="Décision pour Étienne")
    tell([claire], title="Décision pour Claire")
    client = Client()
    assert client.get("/notifications/").status_code == 302  # sign in first
    client.force_login(etienne)
    page = client.get("/notifications/")
    text = page.content.decode()
    assert "Décision pour Étienne" in text and "Décision pour Claire" not in text
    assert '1<span class="fr-sr-only"> non lues' in text


@pytest.mark.django_db
def test_opening_reads_it_and_goes_where_it_points(etienne, claire):
    mine = tell([etienne])[0]
    theirs = tell([claire])[0]
    client = Client()
    client.force_login(etienne)
    assert client.get(f"/notifications/{mine.pk}/ouvrir/").status_code == 405
    response = client.post(f"/notifications/{mine.pk}/ouvrir/")
    assert response.status_code == 302 and response["Location"] == "/cooperations/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(f"/notifications/{theirs.pk}/ouvrir/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_the_preferences_page_saves_each_kind(etienne):
    client = Client()
    client.force_login(etienne)
    assert client.get("/notifications/preferences/").status_code == 200
    data: dict[str, str] = dict.fromkeys(NotificationKind.values, Frequency.IMMEDIATELY)
    data[NotificationKind.FORUM] = Frequency.DAILY
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert selectors.frequencies_of(etienne)[NotificationKind.FORUM] == Frequency.DAILY
    data[NotificationKind.FORUM] = "hourly"
    page = client.post("/notifications/preferences/", data)
    assert page.status_code == 200 and page.context["form"].errors
    assert selectors.frequencies_of(etienne)[NotificationKind.FORUM] == Frequency.DAILY


@pytest.mark.django_db
def test_the_api_agrees_with_the_page(etienne, claire):
    for number in range(3):
        tell([etienne], title=f"N{number}")
    tell([claire])
    client = Client()
    assert client.get("/api/v1/notifications").status_code == 401
    client.force_login(etienne)
    listed = client.get("/api/v1/notifications?limit=2").json()
    assert listed["count"] == 3 and [n["title"] for n in listed["items"]] == ["N2", "N1"]
    page = client.get("/notifications/")
    assert page.context["page_obj"].paginator.count == listed["count"]
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 3}
    first = listed["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read").json()["read_at"]
    other = Notification.objects.get(user=claire).pk
    assert client.post(f"/api/v1/notifications/{other}/read").status_code == 404
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 2
    assert client.post("/api/v1/notifications/read").json() == {"marked": 2}
    assert selectors.unread_count(etienne) == 0


@pytest.mark.django_db
def test_the_api_preferences_refuse_bad_input_whole(etienne):
    client = Client()
    client.force_login(etienne)
    kinds = client.get("/api/v1/notifications/preferences").json()["preferences"]
    assert {row["kind"] for row in kinds} == set(NotificationKind.values)
    bad = client.put(
        "/api/v1/notifications/preferences",
        {
            "preferences": [
                {"kind": "forum", "frequency": "daily"},
                {"kind": "x", "frequency": "daily"},
            ]
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and not Preference.objects.exists()
    good = client.put(
        "/api/v1/notifications/preferences",
        {"preferences": [{"kind": "forum", "frequency": "never"}]},
        content_type="application/json",
    )
    assert good.status_code == 200
    assert {row["kind"]: row["frequency"] for row in good.json()["preferences"]}["forum"] == "never"


@pytest.mark.django_db
def test_the_centre_and_its_api_cost_the_same_whatever_their_length(etienne):
    client = Client()
    client.force_login(etienne)
    tell([etienne])

    def grow():
        for _ in range(15):
            tell([etienne, UserFactory.create()])

    assert_constant_queries(lambda: client.get("/notifications/"), grow)
    assert_constant_queries(lambda: client.get("/api/v1/notifications"), grow)
