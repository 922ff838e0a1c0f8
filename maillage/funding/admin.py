from django.contrib import admin

from maillage.core.admin import ServiceAdmin
from maillage.funding import services
from maillage.funding.models import Application, Fund


@admin.register(Fund)
class FundAdmin(ServiceAdmin):
    """The funds, edited through the services; envelopes, calls and applications on their
    pages."""

    list_display = ["name", "cooperation", "managing_body", "currency", "envelope_period"]
    list_filter = ["currency", "envelope_period"]
    search_fields = ["name", "code"]
    governed_fields = ("cooperation",)
    fields = ("cooperation", *services.FUND_FIELDS)

    @staticmethod
    def update_service(actor, fund: Fund, **changes) -> None:
        services.fund_update(actor=actor, fund=fund, **changes)

    @staticmethod
    def delete_service(actor, fund: Fund) -> None:
        services.fund_delete(actor=actor, fund=fund)

    def has_add_permission(self, request) -> bool:
        return False  # created in its cooperation, by its coordinators


@admin.register(Application)
class ApplicationAdmin(ServiceAdmin):
    """Applications, read only: their status, decision and payments change on their page,
    through the services that journal them."""

    list_display = ["number", "title", "applicant", "call", "status", "outcome"]
    list_filter = ["status", "outcome"]
    search_fields = ["number", "title"]

    def has_add_permission(self, request) -> bool:
        return False
