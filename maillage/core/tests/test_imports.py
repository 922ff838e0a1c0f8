"""The import framework, through a small importer of cooperations written for the test."""

import pytest
from django.core.exceptions import ValidationError

from maillage.cooperations.enums import CooperationKind
from maillage.cooperations.models import Cooperation
from maillage.cooperations.services import cooperation_create
from maillage.core.exceptions import Conflict
from maillage.core.imports import Column, Importer, RowInvalid
from maillage.core.spreadsheets import SpreadsheetError

pytestmark = pytest.mark.django_db


class CooperationImporter(Importer[dict]):
    columns = (
        Column("titre", required=True),
        Column("nature", required=True),
        Column("identifiant", aliases=("slug",)),
    )
    batch_size = 2

    def start(self):
        self.seen: dict[str, int] = {}

    def parse_row(self, values):
        if values["nature"] not in CooperationKind.values:
            raise RowInvalid("nature", f"nature inconnue : {values['nature']}")
        return {
            "title": values["titre"],
            "kind": values["nature"],
            "slug": values.get("identifiant", ""),
        }

    def write_batch(self, batch):
        for line, row in batch:
            if row["slug"] and row["slug"] in self.seen:
                self.error(line, "identifiant", f"déjà utilisé ligne {self.seen[row['slug']]}")
                continue
            self.seen.setdefault(row["slug"], line)
            cooperation_create(actor=None, **row)
            self.count("created")


def run(text, *, dry_run=False, filename="plan.csv"):
    return CooperationImporter(actor=None, dry_run=dry_run).run(text.encode(), filename)


def test_a_good_file_is_imported_whole():
    report = run(
        "Titre;Nature;Slug\nBrest ↔ COB;reciprocity_contract;brest-cob\nCambrésis;territorial_contract;\n"
    )
    assert report.ok and report.written
    assert report.counts == {"created": 2}
    assert set(Cooperation.objects.values_list("slug", flat=True)) == {"brest-cob", "cambresis"}


def test_one_bad_row_means_nothing_is_written_and_every_error_is_reported():
    report = run("titre;nature\nA;other\nB;pas-une-nature\nC;other\nD;encore-faux\n")
    assert not report.written
    assert [(e.line, e.column) for e in report.errors] == [(3, "nature"), (5, "nature")]
    assert "ligne 3, colonne « nature »" in str(report.errors[0])
    assert not Cooperation.objects.exists()


def test_rules_across_batches_are_checked():
    report = run("titre;nature;identifiant\nA;other;x\nB;other;x\n")
    assert [(e.line, e.column) for e in report.errors] == [(3, "identifiant")]
    assert not Cooperation.objects.exists()


def test_an_error_in_a_later_batch_rolls_back_the_batches_already_written():
    report = run("titre;nature;identifiant\nA;other;a\nB;other;b\nC;other;c\nD;other;a\n")
    assert [(e.line, e.column) for e in report.errors] == [(5, "identifiant")]
    assert not Cooperation.objects.exists()


def test_a_failure_while_saving_rolls_everything_back():
    cooperation_create(actor=None, title="Existe", kind="other", slug="existe")
    with pytest.raises(Conflict):
        run("titre;nature;identifiant\nA;other;a\nB;other;existe\n")
    assert list(Cooperation.objects.values_list("slug", flat=True)) == ["existe"]


def test_a_dry_run_reports_and_writes_nothing():
    report = run("titre;nature\nA;other\n", dry_run=True)
    assert report.ok and not report.written
    assert report.rows == 1
    assert not Cooperation.objects.exists()


def test_the_header_is_found_below_a_title_block():
    report = run("Coopérations au 1er janvier;;\nSource : nous;;\n;;\ntitre;nature;\nA;other;\n")
    assert report.ok
    assert Cooperation.objects.get().title == "A"


def test_a_missing_required_column_is_named_with_the_file():
    with pytest.raises(SpreadsheetError, match=r"plan\.csv, ligne 1 .*nature"):
        run("titre;type\nA;other\n")


def test_blank_lines_are_skipped_and_line_numbers_stay_true():
    report = run("titre;nature\n\nA;faux\n")
    assert report.errors[0].line == 3


def test_an_empty_file_is_refused():
    with pytest.raises(SpreadsheetError, match="vide"):
        run("")


def test_model_validation_errors_become_row_errors():
    class Strict(CooperationImporter):
        def parse_row(self, values):
            raise ValidationError("titre trop long")

    report = Strict(actor=None).run(b"titre;nature\nA;other\n", "plan.csv")
    assert [(e.line, e.message) for e in report.errors] == [(2, "titre trop long")]
