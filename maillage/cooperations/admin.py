from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Membership
from maillage.accounts.services import membership_set
from maillage.cooperations import services
from maillage.cooperations.models import Cooperation
from maillage.core.admin import ServiceAdmin, choice_actions
from maillage.core.enums import Role


@admin.register(Cooperation)
class CooperationAdmin(ServiceAdmin):
    list_display = ["title", "kind", "stage", "visibility"]
    list_filter = ["kind", "stage", "visibility"]
    search_fields = ["title", "short_name", "slug"]
    fields = ["slug", "stage", *services.EDITABLE_FIELDS]
    # The stage moves with its dated entry, from the cooperation's page; the slug is its address.
    governed_fields = ("slug", "stage")

    @staticmethod
    def update_service(actor, cooperation: Cooperation, **changes) -> None:
        services.cooperation_update(actor=actor, cooperation=cooperation, **changes)

    @staticmethod
    def delete_service(actor, cooperation: Cooperation) -> None:
        services.cooperation_delete(actor=actor, cooperation=cooperation)

    def has_add_permission(self, request) -> bool:
        return False  # created from the home page, which records its first stage


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    """Roles change through the cooperations' member services (a cooperation keeps at least
    one coordinator); the admin adds memberships and calls those services for the rest."""

    list_display = ["user", "cooperation", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "cooperation"]
    search_fields = ["user__email", "cooperation__title"]
    autocomplete_fields = ["user", "cooperation"]
    actions = choice_actions(
        Role,
        lambda actor, membership, role: services.member_role_set(
            actor=actor, membership=membership, role=role
        ),
        _("Donner le rôle « %(choice)s »"),
    )

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        if obj is None:
            return []  # a new membership: nothing to keep yet
        return ["user", "cooperation", "role"]

    @staticmethod
    def update_service(actor, membership: Membership, **changes) -> None:
        """Nothing is editable on a membership's form: its role changes by the actions."""

    @staticmethod
    def delete_service(actor, membership: Membership) -> None:
        services.member_remove(actor=actor, membership=membership)

    def save_model(self, request, obj, form, change: bool) -> None:
        if not change:
            membership_set(
                actor=request.user, cooperation=obj.cooperation, user=obj.user, role=Role(obj.role)
            )
