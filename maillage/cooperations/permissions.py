"""Who may do what with a cooperation. Every view and endpoint asks here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from maillage.accounts.enums import Role
from maillage.accounts.selectors import role_in
from maillage.cooperations.models import Cooperation
from maillage.core.permissions import can_read, is_staff


def can_view(user, cooperation: Cooperation) -> bool:
    return can_read(user, visibility=cooperation.visibility, role=role_in(user, cooperation.pk))


def can_edit(user, cooperation: Cooperation) -> bool:
    return is_staff(user) or role_in(user, cooperation.pk) == Role.COORDINATOR


def can_view_history(user, cooperation: Cooperation) -> bool:
    # The history names people and shows drafts: coordinators and staff only.
    return can_edit(user, cooperation)


def can_create(user) -> bool:
    return is_staff(user)


def get_cooperation_for_user(user, slug: str, *, edit: bool = False) -> Cooperation:
    """The cooperation if the user may see it (404 otherwise, so nothing leaks), and
    PermissionDenied when `edit` is asked and the user may only read."""
    cooperation = Cooperation.objects.filter(slug=slug).first()
    if cooperation is None or not can_view(user, cooperation):
        raise Http404
    if edit and not can_edit(user, cooperation):
        raise PermissionDenied
    return cooperation
