from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from maillage.core import search


class Command(BaseCommand):
    help = _("Reconstruit l’index de la recherche (après une restauration ou un import massif).")

    def handle(self, *args, **options) -> None:
        for key, count in search.rebuild().items():
            self.stdout.write(
                _("%(source)s : %(count)d objets indexés") % {"source": key, "count": count}
            )
