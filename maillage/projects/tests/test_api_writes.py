"""Every write endpoint of the projects API, as every role, each on a fresh object."""

from decimal import Decimal

import pytest

from maillage.cooperations.tests.factories import OrganisationFactory
from maillage.core.enums import Visibility
from maillage.core.testing import ROLES, assert_permission_matrix
from maillage.projects import services

pytestmark = pytest.mark.django_db
JSON = "application/json"


def rights(success: int, *, contacts: bool = True) -> dict[str, int]:
    expected = {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "coordinator": success,
        "staff": success,
    }
    if contacts:
        expected["project_contact"] = success
    return expected


@pytest.fixture
def project(cooperation, paula):
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return services.project_create(
        actor=None,
        cooperation=cooperation,
        title="Chaufferie",
        visibility="public",
        contacts=[paula],
    )


def url(project, path=""):
    return f"/api/v1/projects/{project.pk}{path}"


def fresh_line(project):
    return services.financing_add(
        actor=None, project=project, funder=OrganisationFactory.create(), amount=Decimal(1)
    )


def fresh_step(project):
    return services.step_add(actor=None, project=project, title="Étape")


def fresh_indicator(project):
    return services.indicator_add(actor=None, project=project, name="Indicateur")


def test_project_fields_and_journal(cast, project):
    assert_permission_matrix(
        cast, lambda c: c.patch(url(project), {"summary": "Résumé"}, content_type=JSON), rights(200)
    )
    assert_permission_matrix(
        cast,
        lambda c: c.post(url(project, "/journal"), {"text": "Note"}, content_type=JSON),
        rights(201),
    )


def test_financing_lines(cast, project):
    funder = OrganisationFactory.create()
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            url(project, "/financing"),
            {"funder_id": funder.pk, "amount": "10", "programme": "leader"},
            content_type=JSON,
        ),
        rights(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            url(project, f"/financing/{fresh_line(project).pk}"),
            {"status": "granted"},
            content_type=JSON,
        ),
        rights(200),
    )
    assert_permission_matrix(
        cast, lambda c: c.delete(url(project, f"/financing/{fresh_line(project).pk}")), rights(204)
    )


def test_steps_and_indicators(cast, project):
    assert_permission_matrix(
        cast,
        lambda c: c.post(url(project, "/steps"), {"title": "Marché"}, content_type=JSON),
        rights(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            url(project, f"/steps/{fresh_step(project).pk}"),
            {"title": "Notifié"},
            content_type=JSON,
        ),
        rights(200),
    )
    assert_permission_matrix(
        cast, lambda c: c.delete(url(project, f"/steps/{fresh_step(project).pk}")), rights(204)
    )
    assert_permission_matrix(
        cast,
        lambda c: c.post(url(project, "/indicators"), {"name": "Logements"}, content_type=JSON),
        rights(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            url(project, f"/indicators/{fresh_indicator(project).pk}"),
            {"target": "10"},
            content_type=JSON,
        ),
        rights(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            url(project, f"/indicators/{fresh_indicator(project).pk}/values"),
            {"date": "2025-01-01", "value": "3"},
            content_type=JSON,
        ),
        rights(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(url(project, f"/indicators/{fresh_indicator(project).pk}")),
        rights(204),
    )


def test_deleting_a_project_is_for_coordinators(cast, cooperation, project, paula):
    def delete(client):
        fresh = services.project_create(
            actor=None,
            cooperation=cooperation,
            title="À supprimer",
            visibility="public",
            contacts=[paula],
        )
        return client.delete(url(fresh))

    assert_permission_matrix(cast, delete, rights(204, contacts=False) | {"project_contact": 403})


def test_an_unknown_programme_is_a_400(client, claire, project):
    client.force_login(claire)
    response = client.patch(
        url(project, f"/financing/{fresh_line(project).pk}"),
        {"programme": "nope"},
        content_type=JSON,
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "programme"


def test_documents(cast, project, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    def upload(client):
        pdf = SimpleUploadedFile("convention.pdf", b"%PDF-1.4", content_type="application/pdf")
        return client.post(url(project, "/documents"), {"title": "Convention", "file": pdf})

    assert_permission_matrix(cast, upload, rights(201))
    document = project.documents.first()
    assert document is not None and document.size == 8
    page = (
        f"/cooperations/{project.cooperation.slug}/projets/{project.code}/documents/{document.pk}/"
    )
    everybody = dict.fromkeys(ROLES, 200)
    assert_permission_matrix(cast, lambda c: c.get(page), everybody)

    def bad(client):
        return client.post(
            url(project, "/documents"), {"title": "X", "file": SimpleUploadedFile("x.exe", b"MZ")}
        )

    assert_permission_matrix(cast, bad, rights(400))
    assert project.documents.count() == 3


def test_the_schemas_hold_the_models_rules(client, claire, project):
    """Generated from the models: a choice outside its enum and a null where the model stores
    none are a 400 naming the field (a null used to reach the database: 500), nothing written;
    a text left out of a creation is empty."""
    client.force_login(claire)
    for payload, field in (
        ({"name": "Logements", "kind": "bogus"}, "kind"),
        ({"name": "Logements", "unit": None}, "unit"),
    ):
        response = client.post(url(project, "/indicators"), payload, content_type=JSON)
        assert response.status_code == 400, response.content
        assert field in {error["field"] for error in response.json()["errors"]}
    assert not project.indicators.exists()
    created = client.post(url(project, "/indicators"), {"name": "Logements"}, content_type=JSON)
    assert created.status_code == 201 and created.json()["unit"] == ""
    line = client.post(
        url(project, "/financing"),
        {"funder_id": OrganisationFactory.create().pk, "amount": "10", "currency": "XXX"},
        content_type=JSON,
    )
    assert line.status_code == 400 and line.json()["errors"][0]["field"] == "currency"
