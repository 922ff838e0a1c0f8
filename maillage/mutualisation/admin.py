from django.contrib import admin

from maillage.core.admin import ServiceAdmin
from maillage.mutualisation import services
from maillage.mutualisation.models import Convention


@admin.register(Convention)
class ConventionAdmin(ServiceAdmin):
    """The conventions, edited through the services; their years are closed on their pages."""

    list_display = ["title", "cooperation", "kind", "signed_on", "settlement"]
    list_filter = ["kind", "settlement"]
    search_fields = ["title"]
    governed_fields = ("cooperation",)
    # What the update service changes; documents are attached on the convention's page.
    fields = ("cooperation", *services.CONVENTION_FIELDS)

    @staticmethod
    def update_service(actor, convention: Convention, **changes) -> None:
        services.convention_update(actor=actor, convention=convention, **changes)

    @staticmethod
    def delete_service(actor, convention: Convention) -> None:
        services.convention_delete(actor=actor, convention=convention)

    def has_add_permission(self, request) -> bool:
        return False  # created in its cooperation, by its coordinators
