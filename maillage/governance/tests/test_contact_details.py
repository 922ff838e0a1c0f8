"""The people directory showed the e-mail addresses of people of cooperations the reader is
not part of (as the observer account). A person's e-mail and phone show only where a shared
cooperation justifies it: their account's, a working group, a mandate, an attendance list, a
party's signatory. Page and API agree."""

import datetime as dt

import pytest
from django.utils import timezone

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import CooperationFactory, PersonFactory
from maillage.core.testing import assert_constant_queries
from maillage.governance import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cooperation):
    elsewhere = CooperationFactory.create(title="Ailleurs")
    body = services.body_create(actor=None, cooperation=elsewhere, name="Comité", kind="other")
    bernard = PersonFactory.create(last_name="Bernard", email="bernard@ailleurs.test")
    services.body_member_add(actor=None, body=body, person=bernard)
    group = cooperation_services.working_group_create(
        actor=None, cooperation=cooperation, name="Groupe bois"
    )
    alice = PersonFactory.create(last_name="Alice", email="alice@ici.test", phone="0298000000")
    cooperation_services.working_group_member_add(actor=None, group=group, person=alice)
    loose = PersonFactory.create(last_name="Libre", email="libre@nulle-part.test")
    return {"bernard": bernard, "alice": alice, "loose": loose}


def _shown(client, user) -> set[str]:
    client.force_login(user)
    page = client.get("/annuaire/personnes/").content.decode()
    from_page = {e for e in ("bernard@", "alice@", "libre@") if e in page}
    items = client.get("/api/v1/people").json()["items"]
    from_api = {item["email"].split("@")[0] + "@" for item in items if item["email"]}
    assert from_page == from_api, "the page and the API show the same addresses"
    return from_page


def test_contact_details_show_where_a_shared_cooperation_justifies_it(
    client, people, cooperation, oscar, claire, alix
):
    assert _shown(client, oscar) == {"alice@"}
    # A coordinator also sees people tied to no cooperation yet (to add them to one).
    assert _shown(client, claire) == {"alice@", "libre@"}
    assert _shown(client, alix) == {"alice@", "bernard@", "libre@"}
    start = timezone.now() - dt.timedelta(days=1)
    meeting = services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Visite",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    services.attendance_record(
        actor=None, meeting=meeting, person=people["bernard"], status="present"
    )
    assert _shown(client, oscar) == {"alice@", "bernard@"}


def test_a_persons_page_and_the_api_hide_what_is_not_justified(client, people, oscar, claire):
    bernard, alice = people["bernard"], people["alice"]
    client.force_login(oscar)
    page = client.get(f"/annuaire/personnes/{bernard.pk}/").content.decode()
    assert "bernard@ailleurs.test" not in page and "ne s’affichent qu’aux membres" in page
    assert client.get(f"/api/v1/people/{bernard.pk}").json()["email"] is None
    shown = client.get(f"/api/v1/people/{alice.pk}").json()
    assert (shown["email"], shown["phone"]) == ("alice@ici.test", "0298000000")
    client.force_login(claire)
    # Editing shows the contact details: not for a person of another cooperation.
    assert client.get(f"/annuaire/personnes/{bernard.pk}/modifier/").status_code == 403
    assert client.get(f"/annuaire/personnes/{alice.pk}/modifier/").status_code == 200


def test_the_people_list_keeps_its_queries(client, cooperation, oscar):
    def grow():
        person = PersonFactory.create()
        group = cooperation_services.working_group_create(
            actor=None, cooperation=cooperation, name=f"Groupe {person.pk}"
        )
        cooperation_services.working_group_member_add(actor=None, group=group, person=person)

    grow()
    client.force_login(oscar)
    assert_constant_queries(lambda: client.get("/annuaire/personnes/"), grow)
    assert_constant_queries(lambda: client.get("/api/v1/people"), grow)


def test_the_attendance_picker_offers_the_cooperations_people_first_sorted_naturally(
    people, cooperation
):
    """It offered every person of the platform, "Représentant 1, 10, 11…" first."""
    from maillage.governance.forms import AttendanceForm

    group = cooperation.working_groups.get()
    for number in (10, 2, 1):
        cooperation_services.working_group_member_add(
            actor=None,
            group=group,
            person=PersonFactory.create(first_name="Représentant", last_name=str(number)),
        )
    form = AttendanceForm(cooperation=cooperation)
    [_empty, (ours_label, ours), (others_label, others)] = form.fields["person"].choices
    assert str(ours_label) == "Personnes de la coopération"
    assert [label for _pk, label in ours] == [
        "Prénom Alice",
        "Représentant 1",
        "Représentant 2",
        "Représentant 10",
    ]
    assert str(others_label) == "Autres personnes de l’annuaire"
    assert [label for _pk, label in others] == ["Prénom Bernard", "Prénom Libre"]
    assert 'data-filterable="Filtrer les personnes"' in str(form["person"])
    posted = AttendanceForm(
        {"person": people["bernard"].pk, "status": "present"}, cooperation=cooperation
    )
    assert posted.is_valid(), posted.errors
