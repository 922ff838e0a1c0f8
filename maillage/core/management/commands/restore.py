from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maillage.core.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = "Restore an archive of `manage.py backup` into a new, migrated database, with its files."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(_("%(path)s : fichier introuvable.") % {"path": path})
        try:
            manifest = restore(path)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            _(
                "%(path)s : %(rows)s lignes et %(files)s fichiers restaurés (sauvegarde du %(date)s)."  # noqa: E501
            )
            % {
                "path": path,
                "rows": sum(manifest["rows"].values()),
                "files": manifest["files"],
                "date": manifest["made_at"],
            }
        )
