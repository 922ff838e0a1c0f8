from maillage.core.commands import ImportCommand
from maillage.territories.importers import PopulationsImporter


class Command(ImportCommand):
    help = "Import commune populations from a delimited file (e.g. COM;PMUN) for a year."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code-column", required=True)
        parser.add_argument("--population-column", required=True)
        parser.add_argument("--year", type=int, required=True)

    def importers(self, options):
        return [
            PopulationsImporter(
                actor=None,
                code_column=options["code_column"],
                population_column=options["population_column"],
                year=options["year"],
            )
        ]
