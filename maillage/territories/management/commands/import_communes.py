from maillage.core.commands import ImportCommand
from maillage.territories.importers import CommunesImporter


class Command(ImportCommand):
    help = "Import the INSEE communes file (v_commune_YYYY.csv); départements first."

    def importers(self, options):
        return [CommunesImporter(actor=None)]
