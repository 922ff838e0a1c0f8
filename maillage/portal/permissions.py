"""Who reads and writes news: a cooperation's coordinators (and the staff) write its news; the
staff the platform's. Published news are read by whoever may read their cooperation."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.models import Cooperation
from maillage.core.permissions import is_staff
from maillage.portal.enums import NewsStatus
from maillage.portal.models import News


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
