from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="ligne de commande")

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("Aucun compte n’a l’adresse %(email)s.") % {"email": email})
        _token, raw = api_token_create(actor=None, user=user, name=name)
        self.stdout.write(raw)
