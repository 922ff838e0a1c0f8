from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "maillage.funding"
    verbose_name = _("Fonds et appels à projets")

    def ready(self) -> None:
        from maillage.cooperations.services import DELETION_CASCADES
        from maillage.funding import panels  # noqa: F401 - registers its panels
        from maillage.funding.services import cooperation_funds_cascade, financing_line_owner
        from maillage.projects.services import FINANCING_OWNERS

        if cooperation_funds_cascade not in DELETION_CASCADES:
            DELETION_CASCADES.append(cooperation_funds_cascade)
        if financing_line_owner not in FINANCING_OWNERS:
            FINANCING_OWNERS.append(financing_line_owner)
