from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "maillage.observatory"
    verbose_name = _("Observatoire")

    def ready(self) -> None:
        from maillage.observatory import panels  # noqa: F401 - registers its panels
