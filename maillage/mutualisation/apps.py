from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualisationConfig(AppConfig):
    name = "maillage.mutualisation"
    verbose_name = _("Mutualisation")

    def ready(self) -> None:
        from maillage.cooperations.services import DELETION_CASCADES
        from maillage.mutualisation import panels  # noqa: F401 - registers its panels
        from maillage.mutualisation.services import cooperation_conventions_cascade

        if cooperation_conventions_cascade not in DELETION_CASCADES:
            DELETION_CASCADES.append(cooperation_conventions_cascade)
