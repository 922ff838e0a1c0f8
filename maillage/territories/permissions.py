"""Official territories are read-only facts, readable by all; composed areas (Pays, SCoT area,
cooperation area, custom area) are built by staff and coordinators."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from maillage.accounts.selectors import roles_by_cooperation
from maillage.core.enums import Role
from maillage.core.permissions import is_staff
from maillage.territories.models import Territory


def can_compose_areas(user) -> bool:
    return is_staff(user) or Role.COORDINATOR in roles_by_cooperation(user).values()


def can_edit_area(user, area: Territory) -> bool:
    if not area.is_composed:
        return False
    return is_staff(user) or (can_compose_areas(user) and area.created_by_id == user.pk)


def get_territory_for_user(user, pk: int, *, edit: bool = False) -> Territory:
    territory = get_object_or_404(Territory, pk=pk)
    if edit and not can_edit_area(user, territory):
        raise PermissionDenied
    return territory
