from django.contrib import admin
from reversion.admin import VersionAdmin

from maillage.projects.models import ExchangeRate, Programme, Project


@admin.register(Project)
class ProjectAdmin(VersionAdmin):
    list_display = ["code", "title", "cooperation", "status", "structuring"]
    list_filter = ["status", "structuring", "cooperation"]
    search_fields = ["code", "title"]
    raw_id_fields = ["owner", "proposal"]
    filter_horizontal = ["partners", "contacts", "territories", "strategy_nodes", "themes"]


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
