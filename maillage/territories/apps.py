from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "maillage.territories"
    label = "territories"
    verbose_name = _("Territoires")

    def ready(self) -> None:
        from maillage.territories import search  # noqa: F401 - registers its search source
