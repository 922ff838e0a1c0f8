from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from maillage.cooperations.models import Cooperation
from maillage.core.commands import ImportCommand
from maillage.projects.spreadsheet import ActionPlanImporter


class Command(ImportCommand):
    help = _(
        "Importe le plan d’actions d’une coopération depuis un fichier xlsx, ods ou csv "
        "(voir docs/data-formats.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("cooperation", help=_("identifiant d’URL de la coopération"))
        super().add_arguments(parser)
        parser.add_argument(
            "--create-organisations",
            action="store_true",
            help=_("créer les structures inconnues au lieu de refuser leurs lignes"),
        )

    def importers(self, options):
        cooperation = Cooperation.objects.filter(slug=options["cooperation"]).first()
        if cooperation is None:
            raise CommandError(
                _("Aucune coopération n’a l’identifiant « %(slug)s ».")
                % {"slug": options["cooperation"]}
            )
        return [
            ActionPlanImporter(
                actor=None,
                cooperation=cooperation,
                create_organisations=options["create_organisations"],
            )
        ]
