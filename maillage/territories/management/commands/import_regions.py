from maillage.core.commands import ImportCommand
from maillage.territories.importers import RegionsImporter


class Command(ImportCommand):
    help = "Import the INSEE regions file (v_region_YYYY.csv)."

    def importers(self, options):
        return [RegionsImporter(actor=None)]
