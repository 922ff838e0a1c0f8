from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from maillage.core.commands import ImportCommand
from maillage.observatory.importers import StatisticsImporter, statistics_variables


class Command(ImportCommand):
    help = (
        "Import a 'base communale' statistics file (a CODGEO column and numeric variables): "
        "the columns its dictionary declares (import_variables) are read, the others ignored."
    )

    def importers(self, options):
        path = Path(options["file"])
        with path.open("rb") as stream:
            variables, ignored = statistics_variables(stream, path.name)
        if not variables:
            raise CommandError(
                _(
                    "%(file)s : aucune colonne n’est une variable du dictionnaire "
                    "(import_variables)."
                )
                % {"file": path.name}
            )
        if ignored:
            self.stdout.write(
                _("Colonnes ignorées (hors dictionnaire) : %(columns)s")
                % {"columns": ", ".join(ignored)}
            )
        return [StatisticsImporter(actor=None, variables=variables)]
