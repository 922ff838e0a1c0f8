from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillage.governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from maillage.governance import (  # noqa: F401 - registries of lower apps
            panels,
            search,
        )
        from maillage.governance.services import project_links
        from maillage.projects.services import PROJECT_DELETION_CASCADES

        if project_links not in PROJECT_DELETION_CASCADES:
            PROJECT_DELETION_CASCADES.append(project_links)
