from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualisationConfig(AppConfig):
    name = "maillage.mutualisation"
    verbose_name = _("Mutualisation")

    def ready(self) -> None:
        from maillage.mutualisation import panels  # noqa: F401 - registers its panels
