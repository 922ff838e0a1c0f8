from pathlib import Path

from django.core.management.base import CommandError

from maillage.core.commands import ImportCommand
from maillage.core.spreadsheets import SpreadsheetError
from maillage.observatory.enums import FlowKind
from maillage.observatory.importers import FlowsImporter, flow_layout


class Command(ImportCommand):
    help = (
        "Import one of INSEE's flow files (home → work, home → study, residential migrations; "
        "csv or the xlsx edition): the kind and year come from its header."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", choices=FlowKind.values, help="instead of the header's")
        parser.add_argument("--year", type=int, help="instead of the header's")
        parser.add_argument(
            "--demonstration",
            action="store_true",
            help="made-up figures: every page showing them says so",
        )

    def importers(self, options):
        path = Path(options["file"])
        try:
            with path.open("rb") as stream:
                kind, year, column = flow_layout(stream, path.name)
        except SpreadsheetError as error:
            raise CommandError(str(error)) from error
        return [
            FlowsImporter(
                actor=None,
                kind=options["kind"] or kind,
                year=options["year"] or year,
                count_column=column,
                layout=kind,
                demonstration=options["demonstration"],
                dry_run=options["dry_run"],
            )
        ]
