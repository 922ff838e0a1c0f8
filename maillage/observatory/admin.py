"""The observatory's data in the admin, for reading: it is written by the import commands
(docs/observatory.md), which check every row; a flow dataset may be deleted whole."""

from django.contrib import admin

from maillage.observatory.models import FlowDataset, Variable


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FlowDataset)
class FlowDatasetAdmin(ReadOnlyAdmin):
    list_display = ("kind", "year", "rows", "demonstration", "filename", "imported_at")
    list_filter = ("kind", "demonstration")


@admin.register(Variable)
class VariableAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "unit", "year", "aggregation", "source", "illustrative")
    list_filter = ("aggregation", "illustrative")
    search_fields = ("code", "label")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
