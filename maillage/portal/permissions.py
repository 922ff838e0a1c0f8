"""Who reads and writes news and resources: a cooperation's coordinators (and the staff)
write its news and resources; the staff the platform's news. Published news are read by
whoever may read their cooperation; resources like the cooperation's documents."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from maillage.accounts.selectors import role_in
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.models import Cooperation
from maillage.core.permissions import can_read, is_staff
from maillage.directory.permissions import can_manage_directory
from maillage.portal.enums import NewsStatus
from maillage.portal.models import News, Resource


def can_write_news(user, cooperation: Cooperation | None) -> bool:
    if cooperation is None:
        return is_staff(user)
    return cooperation_permissions.can_edit(user, cooperation)


def can_read_news(user, news: News) -> bool:
    if news.status != NewsStatus.PUBLISHED:
        return can_write_news(user, news.cooperation)
    return news.cooperation is None or cooperation_permissions.can_view(user, news.cooperation)


def get_news_for_user(user, pk: int, *, write: bool = False) -> News:
    """The news item if the user may read it (404 otherwise, so nothing leaks);
    PermissionDenied when `write` is asked and the user may only read."""
    news = News.objects.select_related("cooperation").filter(pk=pk).first()
    if news is None or not can_read_news(user, news):
        raise Http404
    if write and not can_write_news(user, news.cooperation):
        raise PermissionDenied
    return news


def can_write_resource(user, cooperation: Cooperation | None) -> bool:
    """A cooperation's resources: its coordinators (and the staff); an organisation's, outside
    any cooperation: the staff and the coordinators, who keep the directory."""
    if cooperation is None:
        return can_manage_directory(user)
    return cooperation_permissions.can_edit(user, cooperation)


def can_read_resource(user, resource: Resource) -> bool:
    if resource.cooperation is None:
        return True  # public (Resource.clean)
    return cooperation_permissions.can_view(user, resource.cooperation) and can_read(
        user, visibility=resource.visibility, role=role_in(user, resource.cooperation.pk)
    )


def get_resource_for_user(user, pk: int, *, write: bool = False) -> Resource:
    resource = Resource.objects.select_related("cooperation", "organisation").filter(pk=pk).first()
    if resource is None or not can_read_resource(user, resource):
        raise Http404
    if write and not can_write_resource(user, resource.cooperation):
        raise PermissionDenied
    return resource
