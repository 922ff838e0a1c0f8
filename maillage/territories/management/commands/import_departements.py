from maillage.core.commands import ImportCommand
from maillage.territories.importers import DepartementsImporter


class Command(ImportCommand):
    help = "Import the INSEE départements file (v_departement_YYYY.csv); regions first."

    def importers(self, options):
        return [DepartementsImporter(actor=None)]
