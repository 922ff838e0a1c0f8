from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationsConfig(AppConfig):
    name = "maillage.cooperations"
    label = "cooperations"
    verbose_name = _("Coopérations")

    def ready(self) -> None:
        from maillage.cooperations import (  # noqa: F401 - registries of lower apps
            panels,
            search,
        )
