from django.contrib import admin

from maillage.core.admin import ServiceAdmin
from maillage.forum import services
from maillage.forum.models import Report, Space


@admin.register(Space)
class SpaceAdmin(ServiceAdmin):
    list_display = ["title", "cooperation", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["title", "cooperation__title"]
    list_select_related = ["cooperation"]
    fields = ["cooperation", *services.SPACE_FIELDS]
    readonly_fields = ["cooperation"]

    @staticmethod
    def update_service(actor, space: Space, **changes) -> None:
        services.space_update(actor=actor, space=space, **changes)

    @staticmethod
    def delete_service(actor, space: Space) -> None:
        services.space_delete(actor=actor, space=space)

    def has_add_permission(self, request) -> bool:
        return False  # opened from the forum or the cooperation's page


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: the moderators handle reports from the space's page."""

    list_display = ["post", "reporter", "created_at", "handled_at"]
    list_filter = ["handled_at"]
    list_select_related = ["post__thread", "reporter"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
