from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from maillage.demo.loader import demo_accounts, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data (the seed cooperations and one account per role), once."

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        if demo_is_loaded():
            accounts = demo_accounts()
            self.stdout.write(
                _("Les données de démonstration sont déjà chargées (make demo repart de zéro).")
            )
        else:
            accounts = load_demo(password=password)
            self.stdout.write(self.style.SUCCESS(_("Données de démonstration chargées.")))
        self.stdout.write(
            _("Comptes de démonstration (mot de passe : %(password)s) :") % {"password": password}
        )
        for account in accounts:
            self.stdout.write(f"  {account.email:<32} {account.label}")
