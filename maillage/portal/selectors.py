"""The portal's reads: news each reader may read, and the home page's sections."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from ninja import Field

from maillage.accounts.models import Membership
from maillage.cooperations.models import Cooperation, Document
from maillage.cooperations.selectors import contents_readable_q, documents_visible_to
from maillage.core.enums import Role
from maillage.core.filters import ListFilters
from maillage.core.permissions import is_staff
from maillage.governance.models import Meeting
from maillage.governance.selectors import meetings_visible_to
from maillage.portal.enums import DOCUMENT_RESOURCE_KINDS, NewsStatus, ResourceKind
from maillage.portal.models import News, Resource

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
    events = (
        meetings_visible_to(user)
        .filter(end__gte=timezone.now())
        .select_related("cooperation", "organiser")
        .order_by("start")[:HOME_ITEMS]
    )
    documents = (
        documents_visible_to(user)
        .select_related("cooperation")
        .order_by("-created_at", "-pk")[:HOME_ITEMS]
    )
    return HomeSections(
        news=list(news_list(user)[:HOME_ITEMS]),
        events=list(events),
        documents=list(documents),
    )


# The resource centre ---------------------------------------------------------------------------


def resources_visible_to(user) -> QuerySet[Resource]:
    """The resources a user may read (`permissions.can_read_resource` for all at once): an
    organisation's are public; a cooperation's are read like its documents."""
    visible = Cooperation.objects.visible_to(user).values("pk")
    return Resource.objects.filter(
        Q(cooperation__isnull=True) | (Q(cooperation__in=visible) & contents_readable_q(user))
    )


class LibraryFilters(ListFilters):
    """The filters of the resource centre (its page and `GET /resources`)."""

    kind: ResourceKind | None = None
    cooperation: int | None = Field(default=None, ge=1)
    search: str = Field(default="", max_length=200, description="Dans le titre")

    PAGE_PARAMS = {"nature": "kind", "cooperation": "cooperation", "q": "search"}


@dataclass(frozen=True)
class LibraryItem:
    """A row of the resource centre: one of its resources, or a cooperation's document."""

    kind: str
    title: str
    date: date
    url: str
    cooperation: Cooperation | None
    organisation: str
    is_document: bool

    @property
    def kind_label(self) -> str:
        return str(ResourceKind(self.kind).label)


def library(user, filters: LibraryFilters) -> QuerySet:
    """The resource centre: its resources and the documents of the cooperations, each as the
    user may read it, the latest first — one list (a UNION) without copying the documents.
    Rows are (source, id, date, title); `library_items` makes them readable."""
    resources = resources_visible_to(user)
    documents = documents_visible_to(user)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
        kinds = [key for key, kind in DOCUMENT_RESOURCE_KINDS.items() if kind == filters.kind]
        documents = documents.filter(kind__in=kinds)
    if filters.cooperation is not None:
        resources = resources.filter(cooperation_id=filters.cooperation)
        documents = documents.filter(cooperation_id=filters.cooperation)
    if filters.search:
        resources = resources.filter(title__icontains=filters.search)
        documents = documents.filter(title__icontains=filters.search)
    rows = (
        resources.order_by()
        .annotate(source=Value("resource"))
        .values_list("source", "pk", "date", "title")
    )
    document_rows = (
        documents.order_by()
        .annotate(source=Value("document"), day=TruncDate("created_at"))
        .values_list("source", "pk", "day", "title")
    )
    return rows.union(document_rows, all=True).order_by("-date", "title", "pk")


def library_items(rows) -> list[LibraryItem]:
    """The page's rows as items: two queries, whatever the page holds."""
    resources = Resource.objects.select_related("cooperation", "organisation").in_bulk(
        [pk for source, pk, *_ in rows if source == "resource"]
    )
    documents = Document.objects.select_related("cooperation").in_bulk(
        [pk for source, pk, *_ in rows if source == "document"]
    )
    items = []
    for source, pk, day, _title in rows:
        if source == "resource" and pk in resources:
            resource = resources[pk]
            items.append(
                LibraryItem(
                    resource.kind,
                    resource.title,
                    day,
                    resource.get_absolute_url(),
                    resource.cooperation,
                    resource.organisation.name if resource.organisation else "",
                    False,
                )
            )
        elif source == "document" and pk in documents:
            document = documents[pk]
            items.append(
                LibraryItem(
                    DOCUMENT_RESOURCE_KINDS.get(document.kind, ResourceKind.OTHER),
                    document.title,
                    day,
                    reverse(
                        "cooperations:document",
                        kwargs={"slug": document.cooperation.slug, "pk": document.pk},
                    ),
                    document.cooperation,
                    "",
                    True,
                )
            )
    return items
