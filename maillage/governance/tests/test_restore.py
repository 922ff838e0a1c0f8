"""Deleted meetings (with their agenda), agenda items and mandates come back from the
cooperation's "Réunions et mandats supprimés" page or the API, for its organisers (they could
only be restored by staff, from the history)."""

import pytest

from maillage.cooperations.tests.factories import PersonFactory
from maillage.core.testing import ROLES, assert_constant_queries, assert_permission_matrix
from maillage.governance import selectors, services
from maillage.governance.models import AgendaItem, BodyMember, Meeting
from maillage.governance.tests.factories import meeting_in

pytestmark = pytest.mark.django_db

ORGANISERS = {
    **dict.fromkeys(ROLES, 403),
    "outsider": 404,
    "coordinator": 200,
    "staff": 200,
}


@pytest.fixture
def deletions(cooperation, claire):
    """A meeting with two agenda items, deleted; an item of another meeting; a mandate."""
    body = services.body_create(actor=None, cooperation=cooperation, name="Comité", kind="council")
    cancelled = meeting_in(cooperation, days=5, title="Séance annulée")
    services.agenda_item_add(actor=None, meeting=cancelled, title="Budget")
    services.agenda_item_add(actor=None, meeting=cancelled, title="Mobilité")
    services.meeting_delete(actor=claire, meeting=cancelled)
    kept = meeting_in(cooperation, days=9, title="Séance")
    first = services.agenda_item_add(actor=None, meeting=kept, title="Premier point")
    services.agenda_item_add(actor=None, meeting=kept, title="Second point")
    services.agenda_item_delete(actor=claire, item=first)
    mandate = services.body_member_add(actor=None, body=body, person=PersonFactory.create())
    services.body_member_remove(actor=claire, member=mandate)
    return {"kept": kept}


def test_the_deleted_list_names_each_thing_once(cooperation, deletions):
    titles = [item.title for item in selectors.deleted_governance(cooperation)]
    assert len(titles) == 3  # the cancelled meeting's items come back with it, not alone
    assert "Séance annulée" in " ".join(titles) and "Premier point" in titles


def test_each_comes_back_as_it_was(claire, cooperation, deletions):
    for item in selectors.deleted_governance(cooperation):
        services.governance_restore(actor=claire, cooperation=cooperation, item=item)
    meeting = Meeting.objects.get(title="Séance annulée")
    assert sorted(meeting.agenda.values_list("title", flat=True)) == ["Budget", "Mobilité"]
    agenda = list(deletions["kept"].agenda.order_by("position").values_list("position", "title"))
    assert sorted(position for position, _title in agenda) == [0, 1]  # renumbered, no clash
    assert {title for _position, title in agenda} == {"Premier point", "Second point"}
    assert BodyMember.objects.count() == 1
    assert selectors.deleted_governance(cooperation) == []


def test_the_page_is_for_organisers_and_keeps_its_queries(
    cast, client, claire, cooperation, deletions
):
    url = f"/cooperations/{cooperation.slug}/gouvernance/supprimes/"
    [item] = [i for i in selectors.deleted_governance(cooperation) if i.kind == "Réunion"]
    restore = f"{url}{item.version.pk}/restaurer/"
    pages = {**ORGANISERS, "anonymous": 302}
    assert_permission_matrix(cast, lambda client: client.get(url), pages)
    assert_permission_matrix(cast, lambda client: client.get(restore), pages)
    client.force_login(claire)
    assert "Séance annulée" in client.get(url).content.decode()
    response = client.post(restore)
    assert response.status_code == 302 and Meeting.objects.filter(title="Séance annulée").exists()

    def delete_more():
        for n in range(3):
            meeting = meeting_in(cooperation, days=20 + n)
            services.agenda_item_add(actor=None, meeting=meeting, title="Point")
            services.meeting_delete(actor=claire, meeting=meeting)

    assert_constant_queries(lambda: client.get(url), delete_more)


def test_the_api_lists_and_restores_for_organisers_only(
    cast, client, claire, cooperation, deletions
):
    base = f"/api/v1/cooperations/{cooperation.slug}/deleted-governance"
    assert_permission_matrix(
        cast, lambda client: client.get(base), {**ORGANISERS, "anonymous": 401}
    )
    client.force_login(claire)
    listed = client.get(base).json()
    assert listed["count"] == 3
    mandate = next(row for row in listed["items"] if row["kind"] == "Mandat")
    response = client.post(f"{base}/{mandate['version_id']}/restore")
    assert response.status_code == 200 and response.json()["kind"] == "bodymember"
    assert BodyMember.objects.count() == 1
    assert client.post(f"{base}/{mandate['version_id']}/restore").status_code == 404
    assert AgendaItem.objects.filter(title="Premier point").count() == 0
