"""The portal's reads: news each reader may read, and the home page's sections."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from maillage.accounts.models import Membership
from maillage.cooperations.models import Cooperation, Document
from maillage.cooperations.selectors import contents_readable_q
from maillage.core.enums import Role
from maillage.core.permissions import is_staff
from maillage.governance.models import Meeting
from maillage.portal.enums import NewsStatus
from maillage.portal.models import News

HOME_ITEMS = 4


def readable_news(user) -> QuerySet[News]:
    """Published news of the platform and of the cooperations the user may read; drafts for
    those who may write them (`permissions.can_read_news`, for every item at once)."""
    news = News.objects.all()
    if is_staff(user):
        return news
    visible = Cooperation.objects.visible_to(user).values("pk")
    published = Q(status=NewsStatus.PUBLISHED) & (
        Q(cooperation__isnull=True) | Q(cooperation__in=visible)
    )
    if not user.is_authenticated:
        return news.filter(published)
    coordinated = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("cooperation")
    return news.filter(published | Q(cooperation__in=coordinated))


def news_list(user, *, cooperation: Cooperation | None = None, drafts: bool = False):
    """Published news, the latest first (`drafts`: the drafts the user may read instead)."""
    news = readable_news(user).select_related("cooperation")
    if cooperation is not None:
        news = news.filter(cooperation=cooperation)
    if drafts:
        return news.exclude(status=NewsStatus.PUBLISHED).order_by("-updated_at", "-pk")
    return news.filter(status=NewsStatus.PUBLISHED).order_by("-published_at", "-pk")


@dataclass
class HomeSections:
    news: list[News]
    events: list[Meeting]
    documents: list[Document]


def home_sections(user) -> HomeSections:
    """What is happening, for the home page: the latest news, the coming public events and
    meetings the user may read, the latest documents — three queries, whatever the data."""
    visible = Cooperation.objects.visible_to(user).values("pk")
    events = (
        Meeting.objects.filter(cooperation__in=visible, end__gte=timezone.now())
        .filter(contents_readable_q(user))
        .select_related("cooperation")
        .order_by("start")[:HOME_ITEMS]
    )
    documents = (
        Document.objects.filter(cooperation__in=visible)
        .filter(contents_readable_q(user))
        .select_related("cooperation")
        .order_by("-created_at", "-pk")[:HOME_ITEMS]
    )
    return HomeSections(
        news=list(news_list(user)[:HOME_ITEMS]),
        events=list(events),
        documents=list(documents),
    )
