from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.files import purge_unreferenced_files


class Command(BaseCommand):
    help = _(
        "Supprime les fichiers stockés que plus rien ne désigne (ni un enregistrement, ni "
        "l’historique) : fichiers de documents dont l’historique a été purgé, imports "
        "abandonnés. À lancer chaque semaine, après `deleterevisions` s’il est utilisé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("Lister sans rien supprimer."))
        parser.add_argument(
            "--older-than",
            type=int,
            default=2,
            metavar="JOURS",
            help=_("Garder les fichiers plus récents que ce nombre de jours (2 par défaut)."),
        )

    def handle(self, *args, **options):
        if options["older_than"] < 1:
            self.stderr.write(_("--older-than doit valoir au moins 1 jour."))
            raise SystemExit(2)
        purge = purge_unreferenced_files(
            storage=default_storage,
            grace=timedelta(days=options["older_than"]),
            dry_run=options["dry_run"],
        )
        for name in purge.deleted:
            self.stdout.write(name)
        count = len(purge.deleted)
        message = (
            ngettext(
                "%(count)s fichier à supprimer (%(size)s octets), rien n’est supprimé.",
                "%(count)s fichiers à supprimer (%(size)s octets), rien n’est supprimé.",
                count,
            )
            if options["dry_run"]
            else ngettext(
                "%(count)s fichier supprimé (%(size)s octets).",
                "%(count)s fichiers supprimés (%(size)s octets).",
                count,
            )
        )
        self.stdout.write(message % {"count": count, "size": purge.size})
        if purge.kept_recent:
            self.stdout.write(
                ngettext(
                    "%(count)s fichier récent gardé.",
                    "%(count)s fichiers récents gardés.",
                    purge.kept_recent,
                )
                % {"count": purge.kept_recent}
            )
