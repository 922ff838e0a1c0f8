from django.conf import settings
from django.core.management.base import BaseCommand

from maillage.demo.loader import demo_accounts, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data (the seed cooperations and one account per role), once."

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        if demo_is_loaded():
            accounts = demo_accounts()
            self.stdout.write("The demo data is already loaded (make demo starts afresh).")
        else:
            accounts = load_demo(password=password)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo accounts (password: {password}):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<32} {account.label}")
