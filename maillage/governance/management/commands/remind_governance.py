from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.accounts.models import Membership
from maillage.core.enums import Role
from maillage.core.tasks import send_email
from maillage.governance.selectors import bodies_at_risk


class Command(BaseCommand):
    help = _(
        "Prévient par e-mail (file de tâches) les coordinations dont une instance ne se "
        "réunira pas autant que sa règle le demande cette année. À lancer chaque semaine."
    )

    def handle(self, *args, **options):
        bodies = bodies_at_risk(Membership.objects.values("cooperation"))
        sent = 0
        for body in bodies:
            coordinators = Membership.objects.filter(
                cooperation=body.cooperation, role=Role.COORDINATOR
            ).values_list("user__email", flat=True)
            for email in coordinators:
                send_email.enqueue(
                    subject=_("Instance à réunir : %(body)s") % {"body": body.name},
                    body=ngettext(
                        "« %(body)s » (%(cooperation)s) doit se réunir au moins %(rule)s fois "
                        "par an ; %(planned)s réunion prévue cette année.\n%(link)s",
                        "« %(body)s » (%(cooperation)s) doit se réunir au moins %(rule)s fois "
                        "par an ; %(planned)s réunions prévues cette année.\n%(link)s",
                        body.planned_this_year,  # type: ignore[attr-defined]
                    )
                    % {
                        "body": body.name,
                        "cooperation": body.cooperation,
                        "rule": body.meetings_per_year,
                        "planned": body.planned_this_year,  # type: ignore[attr-defined]
                        "link": settings.SITE_URL.rstrip("/") + body.get_absolute_url(),
                    },
                    to=[email],
                )
                sent += 1
        self.stdout.write(
            ngettext("%(count)s rappel envoyé.", "%(count)s rappels envoyés.", sent)
            % {"count": sent}
        )
