from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "maillage.projects"
    verbose_name = _("Projets")

    def ready(self) -> None:
        from maillage.cooperations.services import DELETION_CASCADES
        from maillage.projects import (  # noqa: F401 - registries of lower apps
            panels,
            search,
        )
        from maillage.projects.services import cooperation_projects_cascade

        if cooperation_projects_cascade not in DELETION_CASCADES:
            DELETION_CASCADES.append(cooperation_projects_cascade)

        from maillage.core.worker import record_failures_of
        from maillage.projects.imports import run_plan_import
        from maillage.projects.models import PlanImport

        record_failures_of(run_plan_import, PlanImport, "import_id")
