"""A deleted project comes back whole, from the cooperation's page or the API, for its
coordinators: money, steps, indicators and their values, documents, journal, and the
decisions and agenda items of the bodies that named it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.cooperations.tests.factories import OrganisationFactory
from maillage.core.testing import ROLES, assert_permission_matrix
from maillage.governance import services as governance_services
from maillage.governance.tests.factories import meeting_in
from maillage.projects import selectors, services
from maillage.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def doomed(cooperation, claire):
    project = services.project_create(
        actor=None, cooperation=cooperation, title="Chaufferie", status="ready"
    )
    services.financing_add(
        actor=None, project=project, funder=OrganisationFactory.create(), amount=Decimal(10)
    )
    services.step_add(actor=None, project=project, title="Étude")
    indicator = services.indicator_add(actor=None, project=project, name="kWh", target=100)
    services.indicator_value_add(actor=None, indicator=indicator, date=date(2025, 1, 1), value=40)
    services.document_add(
        actor=None, project=project, title="Plan", file=SimpleUploadedFile("plan.pdf", b"%PDF")
    )
    services.journal_note_add(actor=claire, project=project, text="Visite du site")
    body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other"
    )
    meeting = meeting_in(cooperation, days=-1, body=body, title="Comité")
    governance_services.decision_record(
        actor=None,
        meeting=meeting,
        kind="other",
        date=meeting.start.date(),
        text="Engagé",
        projects=[project],
    )
    return project


def _whole(project: Project) -> tuple:
    return (
        project.title,
        project.status,
        project.financing.count(),
        project.steps.count(),
        [list(i.values.values_list("value", flat=True)) for i in project.indicators.all()],
        project.documents.count(),
        sorted(project.journal.values_list("kind", flat=True)),
        project.decisions.count(),
    )


def test_a_deleted_project_comes_back_whole_from_the_page(client, claire, cooperation, doomed):
    before, pk = _whole(doomed), doomed.pk
    services.project_delete(actor=claire, project=doomed)
    assert not Project.objects.exists()
    client.force_login(claire)
    listing = client.get(f"/cooperations/{cooperation.slug}/projets/supprimes/")
    assert "Chaufferie" in listing.content.decode()
    [version] = [item.version for item in listing.context["items"]]
    url = f"/cooperations/{cooperation.slug}/projets/supprimes/{version.pk}/restaurer/"
    assert "Restaurer le projet" in client.get(url).content.decode()  # asks first
    assert not Project.objects.exists()
    client.post(url)
    assert _whole(Project.objects.get(pk=pk)) == before


def test_restoring_refuses_a_code_taken_since_and_writes_nothing(claire, cooperation, doomed):
    from maillage.core.exceptions import Conflict

    code = doomed.code
    services.project_delete(actor=claire, project=doomed)
    services.project_create(actor=claire, cooperation=cooperation, title="Autre", code=code)
    [version] = selectors.deleted_projects(cooperation)
    with pytest.raises(Conflict):
        services.project_restore(actor=claire, cooperation=cooperation, version=version)
    assert Project.objects.count() == 1


def test_the_api_lists_and_restores_for_coordinators_only(cast, claire, cooperation, doomed):
    pk = doomed.pk
    services.project_delete(actor=claire, project=doomed)
    base = f"/api/v1/cooperations/{cooperation.slug}/deleted-projects"
    coordination = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "outsider": 404,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(cast, lambda client: client.get(base), coordination)
    [version] = selectors.deleted_projects(cooperation)
    # The coordinator restores it; after that, staff finds nothing left to restore.
    refused = {**coordination, "staff": 404}

    def restore(client):
        return client.post(f"{base}/{version.pk}/restore")

    assert_permission_matrix(cast, restore, refused)
    assert Project.objects.get(pk=pk).financing.count() == 1


def test_the_deleted_projects_page_is_for_coordinators_and_keeps_its_queries(
    cast, client, claire, cooperation, doomed
):
    from maillage.core.testing import assert_constant_queries

    services.project_delete(actor=claire, project=doomed)
    url = f"/cooperations/{cooperation.slug}/projets/supprimes/"
    [version] = selectors.deleted_projects(cooperation)
    restore = f"{url}{version.pk}/restaurer/"
    expected = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 302,
        "outsider": 404,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(cast, lambda client: client.get(url), expected)
    assert_permission_matrix(cast, lambda client: client.get(restore), expected)

    def delete_more():
        for n in range(3):
            project = services.project_create(actor=None, cooperation=cooperation, title=f"P{n}")
            services.project_delete(actor=claire, project=project)

    client.force_login(claire)
    assert_constant_queries(lambda: client.get(url), delete_more)
