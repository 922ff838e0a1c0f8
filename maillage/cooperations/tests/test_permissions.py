import pytest
from django.urls import reverse

from maillage.core.enums import Visibility
from maillage.core.testing import ROLES, assert_permission_matrix

pytestmark = pytest.mark.django_db

EVERYBODY = dict.fromkeys(ROLES, 200)
MEMBERS = {**EVERYBODY, "anonymous": 404, "outsider": 404}
COORDINATION = {
    **MEMBERS,
    "observer": 404,
    "funder": 404,
    "project_contact": 404,
    "body_member": 404,
}


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (Visibility.PUBLIC, EVERYBODY),
        (Visibility.PARTNERS, MEMBERS),
        (Visibility.RESTRICTED, COORDINATION),
    ],
)
def test_who_sees_a_cooperation_page_and_its_api(cast, cooperation, visibility, expected):
    cooperation.visibility = visibility
    cooperation.save()
    page = reverse("cooperations:detail", args=[cooperation.slug])
    assert_permission_matrix(cast, lambda client: client.get(page), expected)
    api_expected = {**expected}
    assert_permission_matrix(
        cast, lambda client: client.get(f"/api/v1/cooperations/{cooperation.slug}"), api_expected
    )


def test_only_coordination_and_staff_read_the_history(cast, cooperation):
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    page = reverse("cooperations:history", args=[cooperation.slug])
    history_rights = {
        "anonymous": 403,
        "outsider": 403,
        "observer": 403,
        "funder": 403,
        "project_contact": 403,
        "body_member": 403,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(cast, lambda client: client.get(page), history_rights)
    api_rights = {**history_rights, "anonymous": 401}
    assert_permission_matrix(
        cast,
        lambda client: client.get(f"/api/v1/cooperations/{cooperation.slug}/history"),
        api_rights,
    )


def test_coordinators_and_staff_create_cooperations_through_the_api(cast):
    counter = iter(range(100))

    def create(client):
        n = next(counter)
        return client.post(
            "/api/v1/cooperations",
            {"title": f"Nouvelle {n}", "kind": "territorial_contract", "slug": f"nouvelle-{n}"},
            content_type="application/json",
        )

    expected = dict.fromkeys(EVERYBODY, 403)
    expected.update(anonymous=401, staff=201, coordinator=201)
    assert_permission_matrix(cast, create, expected)


def test_starting_a_cooperation_is_explained_and_can_be_granted(client, nadia):
    """A coordinator could not start a cooperation: no button, a bare 403. Who may is said;
    staff grant the right (the model permission, in the admin); the creator coordinates it."""
    from django.contrib.auth.models import Permission

    from maillage.accounts.models import Membership

    client.force_login(nadia)
    refused = client.get("/cooperations/nouvelle/")
    assert refused.status_code == 403 and "demandez-le-lui" in refused.content.decode()
    assert "demandez ce droit" in client.get("/").content.decode()
    nadia.user_permissions.add(Permission.objects.get(codename="add_cooperation"))
    nadia = type(nadia).objects.get(pk=nadia.pk)  # permissions are cached per instance
    client.force_login(nadia)
    assert "Nouvelle coopération" in client.get("/").content.decode()
    created = client.post(
        "/api/v1/cooperations",
        {"title": "Lancée", "kind": "territorial_contract"},
        content_type="application/json",
    )
    assert created.status_code == 201
    membership = Membership.objects.get(user=nadia, cooperation_id=created.json()["id"])
    assert membership.role == "coordinator"
