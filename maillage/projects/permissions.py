"""Who may do what with a project. A project is read by whoever may read its cooperation and
its own visibility allows (its contacts are named on it); its coordinators and its contacts
edit it; coordinators create projects, import portfolios and change statuses in bulk."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from maillage.accounts.selectors import role_in
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.models import Cooperation
from maillage.core.permissions import can_read
from maillage.projects.models import Project


def is_contact(user, project: Project) -> bool:
    """Named as the project's contact, and still a member of its cooperation: removed from the
    cooperation, one loses what the contact's name gave (the same rule as
    selectors.visible_projects and readable_projects_q)."""
    return (
        user.is_authenticated
        and role_in(user, project.cooperation_id) is not None
        and project.contacts.filter(pk=user.pk).exists()
    )


def can_view(user, project: Project) -> bool:
    return cooperation_permissions.can_view(user, project.cooperation) and can_read(
        user,
        visibility=project.visibility,
        role=role_in(user, project.cooperation_id),
        named=is_contact(user, project),
    )


def can_manage(user, cooperation: Cooperation) -> bool:
    """Create projects, import and export portfolios, change statuses in bulk."""
    return cooperation_permissions.can_edit(user, cooperation)


def can_edit(user, project: Project) -> bool:
    return can_manage(user, project.cooperation) or is_contact(user, project)


def get_project_for_user(user, cooperation: Cooperation, code: str, *, edit: bool = False):
    project = (
        Project.objects.filter(cooperation=cooperation, code=code)
        .select_related("cooperation", "owner", "proposal")
        .first()
    )
    if project is None or not can_view(user, project):
        raise Http404
    if edit and not can_edit(user, project):
        raise PermissionDenied
    return project
