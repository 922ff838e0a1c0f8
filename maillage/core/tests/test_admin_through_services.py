"""The admin is one more door onto the services: what it changes is journalled and checked
as it is from the pages and the API."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from maillage.accounts.models import Membership
from maillage.core.enums import Role
from maillage.projects.models import Project
from maillage.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, alix):
    alix.is_superuser = True
    alix.save()
    client.force_login(alix)
    return client


def test_a_status_set_from_the_admin_is_journalled(admin_client, cooperation):
    project = ProjectFactory.create(cooperation=cooperation, status="idea")
    response = admin_client.post(
        "/admin/projects/project/",
        {"action": "to_engaged", ACTION_CHECKBOX_NAME: [project.pk]},
        follow=True,
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == "engaged"
    entry = project.journal.get()
    assert (entry.status_before, entry.status_after, entry.author) == (
        "idea",
        "engaged",
        response.wsgi_request.user,
    )


def test_the_admin_form_cannot_set_a_status_and_saves_through_the_service(
    admin_client, cooperation
):
    project = ProjectFactory.create(cooperation=cooperation, status="idea", title="Avant")
    form = admin_client.get(f"/admin/projects/project/{project.pk}/change/")
    assert 'name="status"' not in form.content.decode()
    admin_client.post(
        f"/admin/projects/project/{project.pk}/change/",
        {"title": "Après", "status": "completed", "visibility": "partners", "currency": "EUR"}
        | {"summary": "", "description": "", "tags": ""},
    )
    project.refresh_from_db()
    assert (project.title, project.status) == ("Après", "idea")
    assert not project.journal.exists()


def test_the_last_coordinator_cannot_be_removed_from_the_admin(admin_client, claire, cooperation):
    membership = Membership.objects.get(user=claire)
    response = admin_client.post(
        "/admin/accounts/membership/",
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [membership.pk], "post": "yes"},
        follow=True,
    )
    assert "doit garder au moins une coordinatrice" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk, role=Role.COORDINATOR).exists()
    response = admin_client.post(
        "/admin/accounts/membership/",
        {"action": "to_observer", ACTION_CHECKBOX_NAME: [membership.pk]},
        follow=True,
    )
    assert "doit garder au moins une coordinatrice" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Role.COORDINATOR


def test_a_project_deleted_from_the_admin_can_be_restored_from_its_history(
    admin_client, cooperation
):
    from maillage.core.history import deleted_versions

    project = ProjectFactory.create(cooperation=cooperation)
    admin_client.post(f"/admin/projects/project/{project.pk}/delete/", {"post": "yes"})
    assert not Project.objects.filter(pk=project.pk).exists()
    assert any(version.object_id == str(project.pk) for version in deleted_versions(Project))
