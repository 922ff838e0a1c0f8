from maillage.core.commands import ImportCommand
from maillage.observatory.importers import VariablesImporter


class Command(ImportCommand):
    help = (
        "Import a dictionary of statistics variables: code, libelle, unite, annee, agregation "
        "(sum, ratio, none), numerateur, denominateur, multiplicateur, source."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--illustrative", action="store_true", help="values made up for a demonstration"
        )

    def importers(self, options):
        return [VariablesImporter(actor=None, illustrative=options["illustrative"])]
