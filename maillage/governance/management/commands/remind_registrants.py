from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.governance.services import REMINDER_DAYS, registrations_remind


class Command(BaseCommand):
    help = _(
        "Rappelle leur inscription, avec le rendez-vous en pièce jointe, aux inscrits des "
        "réunions et événements qui commencent dans les deux jours (une fois ; chaque jour)."
    )

    def handle(self, *args, **options) -> None:
        sent = registrations_remind()
        self.stdout.write(
            ngettext(
                "%(count)d rappel envoyé (réunions dans les %(days)d jours).",
                "%(count)d rappels envoyés (réunions dans les %(days)d jours).",
                sent,
            )
            % {"count": sent, "days": REMINDER_DAYS}
        )
