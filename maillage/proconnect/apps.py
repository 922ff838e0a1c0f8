from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProConnectConfig(AppConfig):
    name = "maillage.proconnect"
    label = "proconnect"
    verbose_name = _("ProConnect")

    def ready(self) -> None:
        from maillage.proconnect import panels  # noqa: F401 - registry of a lower app
