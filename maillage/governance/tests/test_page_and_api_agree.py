"""The same input gets the same answer from the meeting page and from the API: the rules live
in the services, the transports only parse and render."""

import pytest

from maillage.governance import services
from maillage.governance.enums import MinutesStatus
from maillage.governance.models import Decision, Minutes
from maillage.governance.tests.factories import meeting_in

pytestmark = pytest.mark.django_db


def _meeting(cooperation, *, days: int, body=None, visibility="partners"):
    return meeting_in(cooperation, days=days, hours=2, body=body, visibility=visibility)


@pytest.fixture
def committee(cooperation):
    return services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="monitoring_committee"
    )


def test_a_meeting_without_a_body_takes_no_decision_by_page_or_api(client, claire, cooperation):
    workshop = _meeting(cooperation, days=-3)
    client.force_login(claire)
    decision = {"kind": "other", "date": "2026-01-10", "text": "Décidé"}
    page = client.post(
        f"/cooperations/{cooperation.slug}/reunions/{workshop.pk}/decision/", decision, follow=True
    )
    assert "Seule une réunion d’instance prend des décisions." in page.content.decode()
    body = services.body_create(actor=None, cooperation=cooperation, name="CoPil", kind="other")
    api = client.post(
        "/api/v1/decisions",
        {**decision, "body_id": body.pk, "meeting_id": workshop.pk},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["errors"] == [
        {"field": "meeting", "message": "Seule une réunion d’instance prend des décisions."}
    ]
    assert not Decision.objects.exists()


def test_a_decision_is_taken_at_a_meeting_of_its_own_body(client, claire, cooperation, committee):
    other = services.body_create(actor=None, cooperation=cooperation, name="CoPil", kind="other")
    sitting = _meeting(cooperation, days=-3, body=other)
    client.force_login(claire)
    api = client.post(
        "/api/v1/decisions",
        {
            "body_id": committee.pk,
            "meeting_id": sitting.pk,
            "kind": "other",
            "date": "2026-01-10",
            "text": "Décidé",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["errors"][0]["field"] == "meeting"
    api = client.post(
        "/api/v1/decisions",
        {"meeting_id": sitting.pk, "body_id": other.pk, "kind": "other", "date": "2026-01-10"}
        | {"text": "Décidé"},
        content_type="application/json",
    )
    assert api.status_code == 201
    assert Decision.objects.get().body == other


def test_minutes_are_as_visible_as_their_meeting_by_page_or_api(client, claire, committee):
    cooperation = committee.cooperation
    by_page = _meeting(cooperation, days=-10, body=committee, visibility="restricted")
    by_api = _meeting(cooperation, days=-9, body=committee, visibility="restricted")
    client.force_login(claire)
    client.post(
        f"/cooperations/{cooperation.slug}/reunions/{by_page.pk}/compte-rendu/", {"text": "Relevé"}
    )
    response = client.put(
        f"/api/v1/meetings/{by_api.pk}/minutes", {"text": "Relevé"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert {m.visibility for m in Minutes.objects.all()} == {"restricted"}
    assert Minutes.objects.count() == 2
    wider = client.put(
        f"/api/v1/meetings/{by_api.pk}/minutes",
        {"text": "Relevé", "visibility": "public"},
        content_type="application/json",
    )
    assert wider.status_code == 400 and wider.json()["errors"][0]["field"] == "visibility"
    assert Minutes.objects.get(meeting=by_api).visibility == "restricted"


def test_minutes_are_approved_at_the_bodys_next_meeting_by_page_or_api(client, claire, committee):
    cooperation = committee.cooperation
    first = _meeting(cooperation, days=-20, body=committee)
    second = _meeting(cooperation, days=-10, body=committee)
    _meeting(cooperation, days=-15)  # a meeting of no body in between approves nothing
    later = _meeting(cooperation, days=-5, body=committee)
    client.force_login(claire)
    for meeting in (first, second):
        services.minutes_save(actor=None, meeting=meeting, text="Relevé")
        services.minutes_advance(actor=None, minutes=meeting.minutes)  # circulated
    client.post(f"/cooperations/{cooperation.slug}/reunions/{first.pk}/etape-compte-rendu/")
    response = client.post(
        f"/api/v1/meetings/{second.pk}/minutes/status", {}, content_type="application/json"
    )
    assert response.status_code == 200
    first.minutes.refresh_from_db()
    second.minutes.refresh_from_db()
    assert first.minutes.status == second.minutes.status == MinutesStatus.APPROVED
    assert first.minutes.approved_at == second
    assert second.minutes.approved_at == later
    # A step that is not the next one is refused by both, and changes nothing.
    wrong = client.post(
        f"/api/v1/meetings/{second.pk}/minutes/status",
        {"status": "circulated"},
        content_type="application/json",
    )
    assert wrong.status_code == 409
    second.minutes.refresh_from_db()
    assert second.minutes.status == MinutesStatus.APPROVED
