from django.contrib import admin
from reversion.admin import VersionAdmin

from maillage.cooperations.models import Cooperation


@admin.register(Cooperation)
class CooperationAdmin(VersionAdmin):
    list_display = ["title", "kind", "visibility"]
    list_filter = ["kind", "visibility"]
    search_fields = ["title", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
