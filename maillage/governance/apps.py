from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillage.governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from maillage.governance import panels  # noqa: F401 - registers the panels of lower apps' pages
