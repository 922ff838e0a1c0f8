from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from maillage.core.admin import ServiceAdmin, choice_actions
from maillage.projects import services
from maillage.projects.enums import ProjectStatus
from maillage.projects.models import ExchangeRate, Programme, Project


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    list_display = ["code", "title", "cooperation", "status", "structuring"]
    list_filter = ["status", "structuring", "cooperation"]
    search_fields = ["code", "title"]
    raw_id_fields = ["owner", "proposal"]
    filter_horizontal = ["partners", "contacts", "territories", "strategy_nodes", "themes"]
    # The status changes with its journal entry: through the actions below.
    governed_fields = ("cooperation", "code", "status", "status_changed_on")
    actions = choice_actions(
        ProjectStatus,
        lambda actor, project, status: services.project_status_set(
            actor=actor, project=project, status=status
        ),
        _("Passer au statut « %(choice)s »"),
    )

    @staticmethod
    def update_service(actor, project: Project, **changes) -> None:
        services.project_update(actor=actor, project=project, **changes)

    @staticmethod
    def delete_service(actor, project: Project) -> None:
        services.project_delete(actor=actor, project=project)

    def has_add_permission(self, request) -> bool:
        return False  # a project is created in its cooperation, which numbers it


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """The managed list of programmes and funds, kept by the platform's staff."""

    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """The dated rates the financing plans convert with (they say which one they used)."""

    list_display = ["currency", "valid_from", "rate", "source"]
    list_filter = ["currency"]
