from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Noyau commun")

    def ready(self) -> None:
        from maillage.core import figures

        figures.install()
