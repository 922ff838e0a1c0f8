"""The yearly report: asked for, produced in the background, stored, downloadable; a tagged
PDF whose text can be extracted, an ODT with real headings; the page and the API."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from odf import opendocument, teletype
from odf.text import H
from pypdf import PdfReader

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import OrganisationFactory
from maillage.core.testing import ROLES, assert_permission_matrix
from maillage.governance import services as governance_services
from maillage.projects import services as project_services
from maillage.reports import services
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def contract(cooperation):
    """A strategy, a project with money in the 2017 of the report, a committee and a decision."""
    axis = cooperation_services.strategy_node_create(
        actor=None, cooperation=cooperation, title="Énergie et environnement"
    )
    project = project_services.project_create(
        actor=None,
        cooperation=cooperation,
        title="Réseau de chaleur",
        status="ready",
        strategy_nodes=[axis],
        total_cost=Decimal("1250000"),
    )
    project_services.financing_add(
        actor=None,
        project=project,
        funder=OrganisationFactory.create(name="Région Bretagne"),
        amount=Decimal("400000"),
        status="granted",
    )
    project_services.project_create(
        actor=None, cooperation=cooperation, title="Dossier interne", visibility="restricted"
    )
    body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité de suivi", kind="monitoring_committee"
    )
    start = dt.datetime(2017, 11, 15, 14, tzinfo=ZoneInfo("Europe/Paris"))
    meeting = governance_services.meeting_create(
        actor=None,
        cooperation=cooperation,
        body=body,
        title="Comité de suivi 2017",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    governance_services.decision_record(
        actor=None,
        body=body,
        meeting=meeting,
        date=dt.date(2017, 11, 15),
        kind="programming",
        text="Le comité engage le réseau de chaleur.",
        projects=[project],
        project_status="engaged",
    )
    return cooperation


def ask(contract, claire, fmt, django_capture_on_commit_callbacks) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=claire,
            cooperation=contract,
            year=2017,
            format=fmt,
            introduction="Le mot de la présidence.",
            conclusion="Le comité prend acte.",
        )
    report.refresh_from_db()
    return report


def test_the_pdf_is_tagged_readable_and_carries_its_annexes(
    contract, claire, django_capture_on_commit_callbacks
):
    report = ask(contract, claire, "pdf", django_capture_on_commit_callbacks)
    assert (report.status, report.progress) == ("done", 100)
    document = report.document
    assert document is not None
    assert document.kind == "report" and document.cooperation == contract
    pdf = PdfReader(io.BytesIO(document.file.read()))
    catalog: Any = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Rapport d’avancement 2017",
        "Le mot de la présidence.",
        "Énergie et environnement",
        "Réseau de chaleur",
        "Comité de suivi 2017",
        "Le comité engage le réseau de chaleur.",
        "Le comité prend acte.",
    ):
        assert expected in text, expected
    assert "1 250 000" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Dossier interne" not in text  # a restricted project stays out of the report
    assert sorted(pdf.attachments) == [
        "decisions-brest-cob-2017.xlsx",
        "portefeuille-brest-cob-2017.xlsx",
    ]
    assert report.annexes.count() == 2


def test_the_odt_has_headings_tables_and_charts(
    contract, claire, django_capture_on_commit_callbacks
):
    report = ask(contract, claire, "odt", django_capture_on_commit_callbacks)
    assert report.document is not None
    content = report.document.file.read()
    document = opendocument.load(io.BytesIO(content))
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    assert headings[0].startswith("Rapport d’avancement 2017")
    assert "La stratégie et ses projets" in headings and "Conclusion" in headings
    text = teletype.extractText(document.text)
    assert "Le comité engage le réseau de chaleur." in text
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert any(name.endswith("par-statut.svg") for name in archive.namelist())


def test_only_coordinators_ask_and_bad_requests_are_explained(contract, etienne, claire):
    with pytest.raises(PermissionDenied):
        services.report_request(actor=etienne, cooperation=contract, year=2017, format="pdf")
    for year, fmt, field in ((1800, "pdf", "year"), (2017, "docx", "format")):
        with pytest.raises(ValidationError) as refused:
            services.report_request(actor=claire, cooperation=contract, year=year, format=fmt)
        assert field in refused.value.message_dict
    assert not Report.objects.exists()


def test_a_failure_is_recorded(contract, claire, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("plus de papier")

    monkeypatch.setattr("maillage.reports.render.render_pdf", broken)
    # The worker records the task's failure; the report says what went wrong.
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(actor=claire, cooperation=contract, year=2017, format="pdf")
    report = Report.objects.get()
    assert report.status == "failed" and "plus de papier" in report.error
    assert report.document is None


def test_a_report_whose_worker_died_says_it_failed(
    contract, claire, client, settings, django_capture_on_commit_callbacks
):
    """Killed in the middle of a report, a worker never says it failed: a live worker reaps
    its task (core.worker) and the report says so, instead of "en cours" forever."""
    from django_tasks_db.models import DBTaskResult

    from maillage.core.worker import reap_lost_tasks

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(actor=claire, cooperation=contract, year=2017, format="pdf")
    DBTaskResult.objects.get().claim("killed-worker")
    Report.objects.update(status="running")
    client.force_login(claire)
    page = client.get(f"/cooperations/{contract.slug}/rapports/").content.decode()
    assert "Aucun processus de tâches ne tourne en ce moment" in page
    assert reap_lost_tasks() == 1
    report = Report.objects.get()
    assert report.status == "failed" and "processus de tâches s’est arrêté" in report.error


def post(client, *, path, data):
    return client.post(path, data, content_type="application/json")


def test_the_api_and_the_page(cast, contract, claire, client, django_capture_on_commit_callbacks):
    contract.visibility = "public"
    contract.save()
    path = f"/api/v1/cooperations/{contract.slug}/reports"
    with django_capture_on_commit_callbacks(execute=True):
        assert_permission_matrix(
            cast,
            partial(post, path=path, data={"year": 2017, "format": "odt"}),
            {
                **dict.fromkeys(ROLES, 403),
                "anonymous": 401,
                "coordinator": 202,
                "staff": 202,
            },
        )
    report = Report.objects.filter(requested_by=claire).get()
    members = {**dict.fromkeys(ROLES, 200), "anonymous": 401, "outsider": 403}
    assert_permission_matrix(
        cast, lambda client: client.get(f"/api/v1/reports/{report.pk}"), members
    )
    client.force_login(claire)
    state = client.get(f"/api/v1/reports/{report.pk}").json()
    assert state["status"] == "done" and state["download_url"].endswith(
        f"/documents/{report.document_id}/"
    )
    download = client.get(state["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    bad = client.post(path, {"year": "deux mille"}, content_type="application/json")
    assert bad.status_code == 400
    page = client.get(f"/cooperations/{contract.slug}/rapports/")
    assert page.status_code == 200 and page.context["form"] is not None
    assert b"Rapport 2017 (ODT)" in page.content
    pages = {**dict.fromkeys(ROLES, 200), "anonymous": 403, "outsider": 403}
    assert_permission_matrix(
        cast, lambda client: client.get(f"/cooperations/{contract.slug}/rapports/"), pages
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cooperations/{contract.slug}/rapports/", {"year": 2017, "format": "pdf"}
        )
    assert response.status_code == 302
    assert Report.objects.filter(format="pdf", status="done").count() == 1


def test_the_report_lists_keep_their_queries_and_their_readers(cast, client, claire, contract):
    from maillage.cooperations.models import Document
    from maillage.core.testing import assert_constant_queries

    contract.visibility = "public"
    contract.save()

    def grow(count=3):
        for year in range(2010, 2010 + count):
            report = Report.objects.create(
                cooperation=contract, year=year, format="pdf", requested_by=claire
            )
            report.document = Document.objects.create(
                cooperation=contract, kind="reference", title=f"Rapport {year}"
            )
            report.save()
            report.annexes.add(
                Document.objects.create(cooperation=contract, kind="reference", title="Annexe")
            )

    grow(1)
    client.force_login(claire)
    paths = [
        f"/cooperations/{contract.slug}/rapports/",
        f"/api/v1/cooperations/{contract.slug}/reports",
    ]
    assert all(client.get(path).status_code == 200 for path in paths)
    assert_constant_queries(lambda: [client.get(path) for path in paths], grow)
    members = {**dict.fromkeys(ROLES, 200), "anonymous": 401, "outsider": 403}
    assert_permission_matrix(
        cast, lambda client: client.get(f"/api/v1/cooperations/{contract.slug}/reports"), members
    )


def test_what_the_api_announces_downloads_with_the_token_that_obtained_it(
    contract, claire, nadia, client, django_capture_on_commit_callbacks
):
    """A program holding a bearer token (no session) fetches the report and the calendar the
    API gave it the address of; another user's token gets what that user may see: nothing."""
    from maillage.accounts.services import api_token_create

    _token, mine = api_token_create(actor=None, user=claire, name="outil")
    _token, theirs = api_token_create(actor=None, user=nadia, name="outil")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {mine}"}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            f"/api/v1/cooperations/{contract.slug}/reports",
            {"year": 2017, "format": "pdf"},
            content_type="application/json",
            **bearer,
        )
    assert created.status_code == 202, created.content
    report = client.get(f"/api/v1/reports/{created.json()['id']}", **bearer).json()
    assert report["status"] == "done"
    for url in [report["download_url"], *report["annex_urls"]]:
        assert client.get(url, **bearer).status_code == 200
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 404
        assert client.get(url, HTTP_AUTHORIZATION="Bearer faux").status_code == 401
        assert client.get(url).status_code == 404  # no session, no token: a visitor
    meetings = client.get(f"/api/v1/meetings?cooperation={contract.pk}", **bearer).json()
    calendar = client.get(meetings["items"][0]["ics_url"], **bearer)
    assert calendar.status_code == 200 and b"BEGIN:VCALENDAR" in calendar.content
    assert client.get(meetings["items"][0]["ics_url"]).status_code == 404


def test_the_report_and_its_annexes_hold_only_what_its_readers_may_read(
    contract, claire, django_capture_on_commit_callbacks
):
    """The report is stored for the partners: a restricted body's decisions and a restricted
    meeting's title stay out of it, though a coordinator asked for it."""
    from openpyxl import load_workbook

    secret_body = governance_services.body_create(
        actor=None,
        cooperation=contract,
        name="Bureau restreint",
        kind="other",
        visibility="restricted",
    )
    public_body = contract.bodies.get(name="Comité de suivi")
    start = dt.datetime(2017, 12, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
    closed = governance_services.meeting_create(
        actor=None,
        cooperation=contract,
        body=public_body,
        title="Séance à huis clos",
        start=start,
        end=start + dt.timedelta(hours=1),
        visibility="restricted",
    )
    governance_services.decision_record(
        actor=None, body=secret_body, date=dt.date(2017, 12, 1), kind="other", text="Secret"
    )
    governance_services.decision_record(
        actor=None, meeting=closed, date=dt.date(2017, 12, 1), kind="other", text="Publique"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(actor=claire, cooperation=contract, year=2017, format="pdf")
    report = Report.objects.get()
    assert report.document is not None and report.document.visibility == "partners"
    annex = next(a for a in report.annexes.all() if "decisions" in a.file.name)
    cells = {
        str(cell.value)
        for row in load_workbook(annex.file.open("rb")).active.iter_rows()
        for cell in row
    }
    assert "Publique" in cells and "Secret" not in cells
    assert "Séance à huis clos" not in cells and "Bureau restreint" not in cells
    text = "".join(page.extract_text() for page in PdfReader(report.document.file.open("rb")).pages)
    assert "Secret" not in text and "Séance à huis clos" not in text
