from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "maillage.portal"
    label = "portal"
    verbose_name = _("Portail public")

    def ready(self) -> None:
        from maillage.cooperations.services import DELETION_CASCADES
        from maillage.portal import (  # noqa: F401 - registries of lower apps
            panels,
            search,
        )
        from maillage.portal.services import cooperation_portal_cascade

        if cooperation_portal_cascade not in DELETION_CASCADES:
            DELETION_CASCADES.append(cooperation_portal_cascade)
