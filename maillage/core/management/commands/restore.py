from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.core.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = "Restore an archive of `manage.py backup` into a new, migrated database, with its files."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} : fichier introuvable.")
        try:
            manifest = restore(path)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"{path} : {sum(manifest['rows'].values())} lignes et {manifest['files']} fichiers "
            f"restaurés (sauvegarde du {manifest['made_at']})."
        )
