from django.contrib import admin
from reversion.admin import VersionAdmin

from maillage.territories.models import Territory, TerritoryMembership


class MembershipInline(admin.TabularInline):
    model = TerritoryMembership
    fk_name = "container"
    raw_id_fields = ["member"]
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(VersionAdmin):
    list_display = ["name", "kind", "code", "country", "population", "valid_until"]
    list_filter = ["kind", "country"]
    search_fields = ["search_name", "code"]
    readonly_fields = ["synced_at", "created_by"]
    inlines = [MembershipInline]
