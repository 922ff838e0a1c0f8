from django.contrib import admin

from maillage.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are made by the apps' services, read by their user."""

    list_display = ["title", "user", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "email"]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "frequency"]
    list_filter = ["kind", "frequency"]
    search_fields = ["user__email"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
