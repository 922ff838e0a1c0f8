from django.contrib import admin
from reversion.admin import VersionAdmin

from maillage.directory.models import Organisation, Person, Position


class PositionInline(admin.TabularInline):
    model = Position
    raw_id_fields = ["person", "organisation"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(VersionAdmin):
    list_display = ["name", "kind", "siren", "territory"]
    list_filter = ["kind"]
    list_select_related = ["territory"]
    search_fields = ["search_name", "siren"]
    raw_id_fields = ["territory"]


@admin.register(Person)
class PersonAdmin(VersionAdmin):
    list_display = ["__str__", "email", "erased_at"]
    search_fields = ["search_name", "email"]
    raw_id_fields = ["user"]
    inlines = [PositionInline]
