"""The visibility rule (docs/architecture.md, "Roles, visibility and permissions"), shared
by every app's permissions module.

Apps decide who has which role; this module decides what a role may read.
"""

from maillage.core.enums import Role, Visibility


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def can_read(user, *, visibility: str, role: Role | None, named: bool = False) -> bool:
    """Public: everybody. Partners: any member of the cooperation. Restricted: its
    coordinators and the people named on the object. Platform staff read everything."""
    if visibility == Visibility.PUBLIC or is_staff(user):
        return True
    if visibility == Visibility.PARTNERS:
        return role is not None
    return role == Role.COORDINATOR or named
