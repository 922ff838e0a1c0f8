from maillage.core.commands import ImportCommand
from maillage.observatory.importers import BoundariesImporter


class Command(ImportCommand):
    help = (
        "Import commune boundaries from a GeoJSON FeatureCollection whose features carry the "
        "INSEE code (properties.code) and name (properties.nom)."
    )

    def importers(self, options):
        return [BoundariesImporter(actor=None, dry_run=options["dry_run"])]
