"""The action-plan spreadsheet: import rules, errors, and the lossless round trip."""

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from maillage.accounts.tests.factories import MembershipFactory, UserFactory
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.core.spreadsheets import SpreadsheetError, SpreadsheetFormat, export_bytes
from maillage.directory.models import Organisation
from maillage.projects import services
from maillage.projects.models import FinancingLine, PlanImport, Project
from maillage.projects.spreadsheet import ActionPlanImporter, export_rows
from maillage.territories.models import Territory

pytestmark = pytest.mark.django_db

HEADER = "code;titre;statut;porteur;territoires;strategie;thematiques;date_debut;date_fin;cout_total;devise;projet_structurant;financeur_1;dispositif_1;montant_1;statut_financement_1;financeur_2;montant_2;devise_2"


@pytest.fixture
def setting(cooperation):
    Territory.objects.create(kind="epci", code="242900314", name="Brest métropole")
    OrganisationFactory.create(name="Brest métropole", siren="242900314")
    OrganisationFactory.create(name="Région Bretagne")
    OrganisationFactory.create(name="République et Canton du Jura")
    axis = cooperation_services.strategy_node_create(
        actor=None, cooperation=cooperation, title="Énergie"
    )
    cooperation_services.strategy_node_create(
        actor=None, cooperation=cooperation, title="Bois", parent=axis
    )
    cooperation_services.theme_create(actor=None, cooperation=cooperation, name="Santé")
    return cooperation


def run(cooperation, text: str, *, encoding="utf-8", name="plan.csv", create=False, dry_run=False):
    importer = ActionPlanImporter(
        actor=None, cooperation=cooperation, create_organisations=create, dry_run=dry_run
    )
    return importer.run(io.BytesIO(text.encode(encoding)), name), importer


ROW = "A1;Chaufferie bois;engagé;242900314;epci:242900314;1.1;sante;01/02/2024;2026-12-31;1 250 000,50;EUR;oui;REGION BRETAGNE;feder;500 000;Accordé;République et Canton du Jura;20000;CHF"


def test_a_plan_imports_with_labels_codes_and_french_numbers(setting):
    report, _importer = run(setting, f"{HEADER}\n{ROW}\n")
    assert report.ok, report.errors
    project = Project.objects.get(code="A1")
    assert (project.status, project.structuring, project.total_cost) == (
        "engaged",
        True,
        Decimal("1250000.50"),
    )
    assert project.owner is not None and project.owner.siren == "242900314"
    assert [n.code for n in project.strategy_nodes.all()] == ["1.1"]
    assert [t.name for t in project.themes.all()] == ["Santé"]
    assert str(project.start_date) == "2024-02-01"
    lines = sorted(
        FinancingLine.objects.values_list("amount", "currency", "status", "programme__code")
    )
    assert lines == [
        (Decimal("20000"), "CHF", "planned", None),
        (Decimal("500000"), "EUR", "granted", "feder"),
    ]
    assert project.journal.count() == 1


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_updates(setting):
    run(setting, f"{HEADER}\n{ROW}\n")
    report, _importer = run(setting, f"{HEADER}\n{ROW}\n")
    assert report.counts == {"created": 0, "unchanged": 1}
    report, _importer = run(setting, f"{HEADER}\n{ROW.replace('engagé', 'Achevé')}\n")
    assert report.counts["changed"] == 1
    project = Project.objects.get(code="A1")
    assert project.status == "completed"
    assert project.journal.filter(status_before="engaged", status_after="completed").exists()


def test_an_empty_status_cell_keeps_the_status_and_journals_nothing(setting):
    run(setting, f"{HEADER}\n{ROW}\n")
    report, _importer = run(setting, f"{HEADER}\n{ROW.replace(';engagé;', ';;')}\n")
    assert report.ok and report.counts == {"created": 0, "unchanged": 1}
    project = Project.objects.get(code="A1")
    assert project.status == "engaged" and project.journal.count() == 1


def test_an_imported_status_change_is_journalled_as_the_services_do(setting):
    """The import writes statuses through projects.services.project_statuses_write, as the
    page does: the same journal entry, dated and with the new status date on the project."""
    run(setting, f"{HEADER}\n{ROW}\n")
    run(setting, f"{HEADER}\n{ROW.replace('engagé', 'Achevé')}\n")
    project = Project.objects.get(code="A1")
    entry = project.journal.order_by("-pk").first()
    assert entry is not None
    assert (entry.kind, entry.status_before, entry.status_after, entry.date) == (
        "status",
        "engaged",
        "completed",
        project.status_changed_on,
    )
    assert entry.text == "Import plan.csv"


def test_latin1_comma_separated_files_in_any_column_order(setting):
    text = "Titre,CODE,Statut\nÉcole de musique,B7,programmé\n"
    report, _importer = run(setting, text, encoding="latin-1")
    assert report.ok, report.errors
    assert Project.objects.get(code="B7").status == "ready"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Z;Titre;fini", "statut"),
        ("Z;Titre;;;commune:99999", "territoires"),
        ("Z;Titre;;;;9.9", "strategie"),
        ("Z;Titre;;;;;;;;-5", "cout_total"),
        ("Z;Titre;;;;;;2025-01-01;2024-01-01", "date_fin"),
        ("Z;Titre;;Inconnue SA", "porteur"),
        ("Z;;idee", "titre"),
        ("Z;Titre;;;;;;;;;USD", "devise"),
        ("Z;Titre;;;;;;;;;;;Région Bretagne;;-3", "montant_1"),
    ],
)
def test_each_error_names_its_row_and_column_and_nothing_is_written(setting, row, column):
    report, _importer = run(setting, f"{HEADER}\nOK;Valide\n{row}\n")
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(3, column)]
    assert not Project.objects.exists()


def test_a_duplicate_code_in_the_file_is_an_error(setting):
    report, _importer = run(setting, f"{HEADER}\nA;Un\nA;Deux\n")
    assert [(e.line, e.column) for e in report.errors] == [(3, "code")]


def test_empty_and_unreadable_files_are_refused(setting):
    with pytest.raises(SpreadsheetError):
        run(setting, "")
    with pytest.raises(SpreadsheetError):
        run(setting, "pas un classeur", name="plan.xlsx")


def test_unknown_organisations_are_created_only_when_confirmed(setting):
    text = f"{HEADER}\nC1;Tiers-lieu;;Nouvelle association\n"
    report, importer = run(setting, text, dry_run=True, create=True)
    assert report.ok and importer.new_organisations == ["Nouvelle association"]
    assert not Organisation.objects.filter(name="Nouvelle association").exists()
    run(setting, text, create=True)
    assert Project.objects.filter(code="C1", owner__name="Nouvelle association").exists()


@pytest.mark.parametrize("fmt", list(SpreadsheetFormat))
def test_an_export_reimports_to_the_same_data(setting, fmt):
    run(setting, f"{HEADER}\n{ROW}\nA2;Sans rien\n")
    header, rows = export_rows(Project.objects.filter(cooperation=setting))
    data = export_bytes(fmt, header, rows)
    before = _state(setting)
    report = ActionPlanImporter(actor=None, cooperation=setting).run(
        io.BytesIO(data), f"export.{fmt}"
    )
    assert report.ok, report.errors
    assert report.counts == {"created": 0, "unchanged": 2}
    twin = CooperationFactory.create(slug="twin")
    cooperation_services.strategy_copy(actor=None, source=setting, target=twin)
    cooperation_services.theme_create(actor=None, cooperation=twin, name="Santé")
    report = ActionPlanImporter(actor=None, cooperation=twin).run(io.BytesIO(data), f"export.{fmt}")
    assert report.ok, report.errors
    assert _state(twin) == before


def _state(cooperation):
    _header, rows = export_rows(Project.objects.filter(cooperation=cooperation))
    return rows


def test_the_command(setting, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text(f"{HEADER}\nD1;Vélo;;Inconnue\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_action_plan", setting.slug, str(path))
    call_command(
        "import_action_plan", setting.slug, str(path), "--create-organisations", "--dry-run"
    )
    assert not Project.objects.exists()
    call_command("import_action_plan", setting.slug, str(path), "--create-organisations")
    assert Project.objects.get(code="D1")


def test_upload_preview_and_confirm_in_the_interface(
    client, claire, setting, django_capture_on_commit_callbacks
):
    """The page stores the file and queues its check; the worker runs it (inline here) and the
    check's page shows the report; confirming queues the writing of the same file."""
    client.force_login(claire)
    url = f"/cooperations/{setting.slug}/projets/import/"
    upload = SimpleUploadedFile("plan.csv", f"{HEADER}\nE1;Marché;;Nouvelle SCIC\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload})
    checked = PlanImport.objects.get()
    assert response.status_code == 302 and response.url == f"{url}{checked.pk}/"
    assert (checked.status, checked.dry_run, checked.problems) == ("done", True, [])
    body = client.get(response.url).content.decode()
    assert "Nouvelle SCIC" in body and not Project.objects.exists()
    assert "projets qui seront créés : 1" in body  # what will happen, in words
    refused = client.post(f"{url}{checked.pk}/", {}, follow=True)  # the box left unticked
    assert "cochez" in refused.content.decode() and "Nouvelle SCIC" in refused.content.decode()
    assert PlanImport.objects.count() == 1  # nothing queued; the check and its file stay
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}{checked.pk}/", {"create_organisations": "on"})
    written = PlanImport.objects.exclude(pk=checked.pk).get()
    assert response.url == f"{url}{written.pk}/" and written.written
    assert Project.objects.filter(code="E1", owner__name="Nouvelle SCIC").exists()
    assert "Import terminé" in client.get(response.url).content.decode()
    assert not default_storage.exists(checked.path)  # the upload is gone once written
    # Confirming twice: the file is gone, nothing is queued again.
    again = client.post(f"{url}{checked.pk}/", {}, follow=True)
    assert "envoyez-le à nouveau" in again.content.decode()
    assert PlanImport.objects.count() == 2
    bad = SimpleUploadedFile("plan.pdf", b"%PDF")
    response = client.post(url, {"file": bad}, follow=True)
    assert response.context["form"].errors["file"]  # refused, with the reason on the field
    assert Project.objects.count() == 1  # nothing written by the refused file


def test_a_check_is_shown_only_to_whom_sent_the_file(client, claire, setting):
    """Another coordinator of the cooperation, or anyone else, cannot see someone's check."""
    from django.core.files.base import ContentFile

    path = default_storage.save("imports/test/plan.csv", ContentFile(f"{HEADER}\n".encode()))
    plan_import = PlanImport.objects.create(cooperation=setting, requested_by=claire, path=path)
    url = f"/cooperations/{setting.slug}/projets/import/{plan_import.pk}/"
    client.force_login(claire)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory.create())
    assert client.get(url).status_code in (403, 404)
    other = MembershipFactory.create(cooperation=setting, role="coordinator").user
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404 and PlanImport.objects.count() == 1


def test_the_check_runs_in_the_worker_and_says_so_while_queued(
    client, claire, setting, monkeypatch
):
    """Queued (no worker has taken it yet): the page says it is under way, refreshes itself,
    and says when no worker runs."""
    from maillage.projects import views

    monkeypatch.setattr(views, "worker_alive", lambda: False)
    from django.core.files.base import ContentFile

    path = default_storage.save("imports/test/plan.csv", ContentFile(f"{HEADER}\n".encode()))
    plan_import = PlanImport.objects.create(cooperation=setting, requested_by=claire, path=path)
    client.force_login(claire)
    body = client.get(f"/cooperations/{setting.slug}/projets/import/{plan_import.pk}/")
    text = body.content.decode()
    assert "Vérification du fichier en cours" in text and 'hx-trigger="every 2s"' in text
    assert "Aucun processus de tâches" in text  # no worker has beaten in the tests
    assert not Project.objects.exists()


def test_importing_is_for_coordinators(client, paula, setting):
    client.force_login(paula)
    assert client.get(f"/cooperations/{setting.slug}/projets/import/").status_code == 403


def test_the_export_follows_the_filters_and_neutralises_formulas(client, setting):
    setting.visibility = "public"
    setting.save()
    services.project_create(
        actor=None,
        cooperation=setting,
        title="=HYPERLINK(1)",
        visibility="public",
        status="engaged",
    )
    services.project_create(actor=None, cooperation=setting, title="Autre", visibility="public")
    body = client.get(
        f"/cooperations/{setting.slug}/projets/export/", {"format": "csv", "statut": "engaged"}
    ).content.decode()
    assert "'=HYPERLINK(1)" in body and "Autre" not in body
    api = client.get(f"/api/v1/cooperations/{setting.pk}/projects/export", {"format": "csv"})
    assert api.status_code == 200 and "Autre" in api.content.decode()


def test_a_plan_past_the_row_limit_stops_with_an_error_and_writes_nothing(setting, monkeypatch):
    monkeypatch.setattr(ActionPlanImporter, "max_rows", 2)
    rows = "\n".join(f"L{n};Projet {n}" for n in range(5))
    report, _importer = run(setting, f"code;titre\n{rows}\n")
    assert not report.ok
    assert any("dépasse 2 lignes" in error.message for error in report.errors)
    assert not Project.objects.exists()


def test_a_plan_past_the_time_limit_stops_with_an_error_and_writes_nothing(setting, monkeypatch):
    monkeypatch.setattr(ActionPlanImporter, "max_seconds", 0.000001)
    monkeypatch.setattr(ActionPlanImporter, "batch_size", 2)
    rows = "\n".join(f"L{n};Projet {n}" for n in range(5))
    report, _importer = run(setting, f"code;titre\n{rows}\n")
    assert not report.ok
    assert any("découpez-le" in error.message for error in report.errors)
    assert not Project.objects.exists()


def test_every_bad_cell_of_a_row_is_reported_at_once(setting):
    """A row with four mistakes took four uploads: each is reported, with its column."""
    header = "code;titre;statut;date_debut;projet_structurant;financeur_1;montant_1"
    report, _importer = run(setting, f"{header}\nA/1;;perdu;32/13/2025;peut-être;;12\n")
    columns = {error.column for error in report.errors}
    assert {"code", "titre", "statut", "date_debut", "projet_structurant"} <= columns
    assert "financeur_1" in columns
    assert {error.line for error in report.errors} == {2}
    assert not Project.objects.exists()
