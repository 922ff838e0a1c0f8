from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.notifications.services import send_digests


class Command(BaseCommand):
    help = _(
        "Envoie à chacun, en un e-mail, les notifications qu’il veut recevoir en résumé "
        "quotidien (file de tâches). À lancer chaque jour."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(
            ngettext("%(count)s résumé envoyé.", "%(count)s résumés envoyés.", sent)
            % {"count": sent}
        )
