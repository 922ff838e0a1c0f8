from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the stored files together, in one tar.gz (core.backup)."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="where to write it (default: maillage-YYYYmmdd-HHMMSS.tar.gz here)",
        )

    def handle(self, *args, archive=None, **options):
        path = Path(archive or f"maillage-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        manifest = backup(path)
        self.stdout.write(
            _("%(path)s : %(rows)s lignes, %(files)s fichiers.")
            % {"path": path, "rows": sum(manifest["rows"].values()), "files": manifest["files"]}
        )
