from maillage.core.commands import ImportCommand
from maillage.territories.importers import EpciCompositionImporter, EpciImporter


class Command(ImportCommand):
    help = (
        "Import the INSEE EPCI workbook (Intercommunalite_Metropole_au_01-01-YYYY.xlsx): "
        "its sheets EPCI and Composition_communale; communes first."
    )

    def importers(self, options):
        return [EpciImporter(actor=None), EpciCompositionImporter(actor=None)]
