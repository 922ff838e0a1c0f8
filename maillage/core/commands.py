"""What every import command shares: open the file, run importers all-or-nothing, report."""

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.imports import Importer, ImportReport, private_copy
from maillage.core.spreadsheets import SpreadsheetError


class _DryRun(Exception):
    pass


def run_imports(
    path: str | Path, importers: Sequence[Importer], *, dry_run: bool
) -> list[ImportReport]:
    """Run the importers on one file, in order, in one transaction: all are written or none.

    The importers themselves write (so that a later one sees what an earlier one added); a dry
    run does so on a private copy of the database (`core.imports.private_copy`) and rolls the
    whole back at the end. Raises SpreadsheetError for a file-level problem.
    """
    path = Path(path)
    reports: list[ImportReport] = []
    try:
        with private_copy() if dry_run else nullcontext(), transaction.atomic():
            for importer in importers:
                with path.open("rb") as stream:
                    report = importer.run(stream, path.name)
                reports.append(report)
                if not report.ok:
                    raise _DryRun
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    for report in reports:
        report.dry_run = dry_run
    return reports


# All or nothing means one transaction: on SQLite, which has one writer at a time, the import
# holds the database until it ends (the task worker waits for it: core.worker). A dry run does
# not: it runs on a private copy.
SQLITE_HOLDS_THE_DATABASE = gettext_lazy(
    "SQLite : l’import tient la base en écriture jusqu’à sa fin ; pendant ce temps les "
    "connexions et les enregistrements du site attendent, puis échouent après 20 s. Lancez-le "
    "quand la plateforme est calme, ou passez à PostgreSQL (docs/deployment.md)."
)


class ImportCommand(BaseCommand):
    """Base of the `import_*` commands: a file, `--dry-run`, a diff report, exit 1 on errors."""

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def importers(self, options) -> Sequence[Importer]:
        raise NotImplementedError

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(path)s : fichier introuvable.") % {"path": path})
        if connection.vendor == "sqlite" and not options["dry_run"]:
            self.stderr.write(str(SQLITE_HOLDS_THE_DATABASE))
        try:
            reports = run_imports(path, self.importers(options), dry_run=options["dry_run"])
        except SpreadsheetError as error:
            raise CommandError(str(error)) from error
        failed = False
        for report in reports:
            counts = ", ".join(f"{key}: {value}" for key, value in sorted(report.counts.items()))
            self.stdout.write(
                _("%(file)s : %(rows)s lignes ; %(counts)s")
                % {"file": report.filename, "rows": report.rows, "counts": counts}
            )
            for note in report.notes:
                self.stdout.write(note)
            for line in report.error_lines():
                self.stderr.write(line)
            failed = failed or not report.ok
        if failed:
            raise CommandError(
                _("%(file)s : des erreurs, rien n’a été écrit.") % {"file": path.name}
            )
        if options["dry_run"]:
            self.stdout.write(_("Essai à blanc : rien n’a été écrit."))
        else:
            self.stdout.write(_("Enregistré."))
