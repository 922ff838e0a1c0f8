"""`GET /api/v1/search`: what the search page shows (core.search), as data."""

from datetime import date, datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.cooperations.models import Document
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core import search
from maillage.core.api import ERROR_RESPONSES, CompletedPages, object_by_id, objects_by_ids
from maillage.core.enums import Visibility
from maillage.directory.models import Organisation
from maillage.portal import selectors, services
from maillage.portal.enums import NewsStatus, ResourceKind
from maillage.portal.models import News, Resource
from maillage.portal.permissions import get_news_for_user, get_resource_for_user
from maillage.portal.search import MAX_OFFSET, named_cooperations, source_choices
from maillage.portal.selectors import LibraryItem
from maillage.territories.models import Territory

router = Router(tags=["portail"])


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=search.MAX_QUERY_LENGTH, description="Les mots")
    type: str | None = Field(None, description="Un type de résultat (`by_type[].type`)")
    cooperation: int | None = Field(None, ge=1, description="L’identifiant d’une coopération")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TypeCount(Schema):
    type: str
    label: str
    count: int


class CooperationCount(Schema):
    id: int
    title: str
    slug: str
    count: int


class SearchHitOut(Schema):
    type: str
    id: int
    title: str
    url: str
    excerpt: str = Field(description="HTML : le texte échappé, les mots trouvés entre <mark>")
    cooperation_id: int | None
    date: datetime | None


class SearchOut(Schema):
    items: list[SearchHitOut]
    count: int


class SearchFacetsOut(Schema):
    query: str
    count: int
    by_type: list[TypeCount]
    by_cooperation: list[CooperationCount]


class FacetsQuery(Schema):
    q: str = Field(..., min_length=1, max_length=search.MAX_QUERY_LENGTH, description="Les mots")
    type: str | None = Field(None, description="Un type de résultat (`by_type[].type`)")


def _checked_type(type_: str | None) -> None:
    types = dict(source_choices())
    if type_ is not None and type_ not in types:
        raise HttpError(
            400, _("Type inconnu ; les types : %(types)s.") % {"types": ", ".join(types)}
        )


@router.get(
    "/search",
    auth=optional_user_auth,
    response={200: SearchOut, **ERROR_RESPONSES},
    summary="Recherche",
)
def search_everything(request: HttpRequest, query: Query[SearchQuery]):
    """Ce que le lecteur peut consulter et qui contient tous ces mots (accents et majuscules
    indifférents), le plus pertinent d’abord ; par type (`type`) ou coopération. Les nombres
    par type et par coopération : `/search/facets`."""
    _checked_type(query.type)
    results = search.search(
        request.user,
        query.q,
        source=query.type,
        cooperation_id=query.cooperation,
        offset=query.offset,
        limit=query.limit,
        facets=False,
    )
    return {
        "count": results.total,
        "items": [
            {
                "type": hit.source.key,
                "id": hit.entry.object_id,
                "title": hit.entry.title,
                "url": hit.url,
                "excerpt": hit.excerpt,
                "cooperation_id": hit.entry.cooperation_id,
                "date": hit.entry.date,
            }
            for hit in results.hits
        ],
    }


@router.get(
    "/search/facets",
    auth=optional_user_auth,
    response={200: SearchFacetsOut, **ERROR_RESPONSES},
    summary="Recherche : nombres par type et par coopération",
)
def search_facets(request: HttpRequest, query: Query[FacetsQuery]):
    """Combien de résultats de chaque type ; et par coopération (les 12 premières), pour le
    type choisi s’il l’est."""
    _checked_type(query.type)
    results = search.search(request.user, query.q, source=query.type, limit=0)
    return {
        "query": results.query,
        "count": results.total,
        "by_type": [
            {"type": source.key, "label": str(source.label), "count": count}
            for source, count in results.by_source
        ],
        "by_cooperation": [
            {
                "id": cooperation.pk,
                "title": cooperation.title,
                "slug": cooperation.slug,
                "count": count,
            }
            for cooperation, count in named_cooperations(results.by_cooperation)
        ],
    }


# News -----------------------------------------------------------------------------------------


class NewsOut(Schema):
    id: int
    cooperation_id: int | None
    title: str
    summary: str
    body: str
    status: NewsStatus
    published_at: datetime | None
    updated_at: datetime
    url: str
    image_url: str | None
    document_ids: list[int]

    @staticmethod
    def resolve_url(news: News) -> str:
        return news.get_absolute_url()

    @staticmethod
    def resolve_image_url(news: News) -> str | None:
        return reverse("portal:news_image", args=[news.pk]) if news.image else None

    @staticmethod
    def resolve_document_ids(news: News) -> list[int]:
        return [document.pk for document in news.documents.all()]


class NewsFilters(Schema):
    cooperation: int | None = Field(None, ge=1, description="L’identifiant d’une coopération")
    drafts: bool = Field(
        False, description="Les brouillons que l’on peut écrire, au lieu des actualités publiées"
    )


class NewsIn(Schema):
    cooperation_id: int | None = Field(None, description="Aucune : une actualité de la plateforme")
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=400)
    body: str = ""
    document_ids: list[int] = []


class NewsPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=400)
    body: str | None = None
    document_ids: list[int] | None = None


def _news_rows(queryset):
    return queryset.prefetch_related("documents")


@router.get(
    "/news",
    auth=optional_user_auth,
    response={200: list[NewsOut], **ERROR_RESPONSES},
    summary="Actualités",
)
@paginate
def news_list(request: HttpRequest, filters: Query[NewsFilters]):
    """Les actualités publiées, les plus récentes d’abord (ou ses brouillons : `drafts`)."""
    cooperation = None
    if filters.cooperation is not None:
        cooperation = get_cooperation_for_user(request.user, str(filters.cooperation))
    return _news_rows(
        selectors.news_list(request.user, cooperation=cooperation, drafts=filters.drafts)
    )


@router.get("/news/{news_id}", auth=optional_user_auth, response={200: NewsOut, **ERROR_RESPONSES})
def news_detail(request: HttpRequest, news_id: int):
    return get_news_for_user(request.user, news_id)


@router.post("/news", response={201: NewsOut, **ERROR_RESPONSES})
def news_create(request: HttpRequest, payload: NewsIn):
    """Un brouillon : d’une coopération (sa coordination l’écrit) ou de la plateforme."""
    user = authenticated_user(request)
    cooperation = None
    if payload.cooperation_id is not None:
        cooperation = get_cooperation_for_user(user, str(payload.cooperation_id))
    data = payload.dict(exclude={"cooperation_id", "document_ids"})
    documents = objects_by_ids(
        Document, payload.document_ids, "document_ids", cooperation=cooperation
    )
    news = services.news_create(actor=user, cooperation=cooperation, documents=documents, **data)
    return Status(201, news)


@router.patch("/news/{news_id}", response={200: NewsOut, **ERROR_RESPONSES})
def news_update(request: HttpRequest, news_id: int, payload: NewsPatch):
    user = authenticated_user(request)
    news = get_news_for_user(user, news_id, write=True)
    changes = payload.dict(exclude_unset=True, exclude={"document_ids"})
    documents = objects_by_ids(
        Document, payload.document_ids, "document_ids", cooperation=news.cooperation
    )
    return services.news_update(actor=user, news=news, documents=documents, **changes)


@router.post("/news/{news_id}/publish", response={200: NewsOut, **ERROR_RESPONSES})
def news_publish(request: HttpRequest, news_id: int):
    """Publiée maintenant (409 si elle l’est déjà)."""
    user = authenticated_user(request)
    return services.news_publish(actor=user, news=get_news_for_user(user, news_id, write=True))


@router.post("/news/{news_id}/withdraw", response={200: NewsOut, **ERROR_RESPONSES})
def news_withdraw(request: HttpRequest, news_id: int):
    """De nouveau un brouillon (409 si elle ne l’est pas)."""
    user = authenticated_user(request)
    return services.news_withdraw(actor=user, news=get_news_for_user(user, news_id, write=True))


@router.delete("/news/{news_id}", response={204: None, **ERROR_RESPONSES})
def news_delete(request: HttpRequest, news_id: int):
    user = authenticated_user(request)
    services.news_delete(actor=user, news=get_news_for_user(user, news_id, write=True))
    return Status(204, None)


# The resource centre ---------------------------------------------------------------------------


class LibraryItemOut(Schema):
    kind: ResourceKind
    title: str
    date: date
    url: str
    cooperation_id: int | None
    organisation: str
    is_document: bool = Field(description="Un document d’une coopération (sinon une ressource)")

    @staticmethod
    def resolve_cooperation_id(item: LibraryItem) -> int | None:
        return item.cooperation.pk if item.cooperation else None


class ResourceOut(Schema):
    id: int
    title: str
    kind: ResourceKind
    description: str
    url: str
    file_url: str | None
    date: date
    cooperation_id: int | None
    organisation_id: int | None
    themes: list[str]
    territory_ids: list[int]
    visibility: Visibility

    @staticmethod
    def resolve_file_url(resource: Resource) -> str | None:
        return reverse("portal:resource_file", args=[resource.pk]) if resource.file else None

    @staticmethod
    def resolve_themes(resource: Resource) -> list[str]:
        return resource.theme_list

    @staticmethod
    def resolve_territory_ids(resource: Resource) -> list[int]:
        return [territory.pk for territory in resource.territories.all()]


class ResourceIn(Schema):
    cooperation_id: int | None = Field(None, description="Aucune : la ressource d’une structure")
    title: str = Field(..., min_length=1, max_length=255)
    kind: ResourceKind
    description: str = ""
    url: str = Field(..., min_length=1, max_length=500, description="Le lien de la ressource")
    date: date
    organisation_id: int | None = None
    themes: str = Field("", max_length=255, description="Mots séparés par des virgules")
    territory_ids: list[int] = []
    visibility: Visibility | None = None


@router.get(
    "/resources",
    auth=optional_user_auth,
    response={200: list[LibraryItemOut], **ERROR_RESPONSES},
    summary="Centre de ressources (ressources et documents des coopérations)",
)
@paginate
def resource_list(request: HttpRequest, filters: Query[selectors.LibraryFilters]):
    """Ce que le lecteur peut consulter, le plus récent d’abord : les ressources et les
    documents des coopérations (sans copie)."""
    return CompletedPages(selectors.library(request.user, filters), selectors.library_items)


@router.get(
    "/resources/{resource_id}",
    auth=optional_user_auth,
    response={200: ResourceOut, **ERROR_RESPONSES},
)
def resource_detail(request: HttpRequest, resource_id: int):
    return get_resource_for_user(request.user, resource_id)


@router.post("/resources", response={201: ResourceOut, **ERROR_RESPONSES})
def resource_create(request: HttpRequest, payload: ResourceIn):
    """Un lien (un fichier se joint depuis la page) ; d’une coopération, ou d’une structure
    (alors public)."""
    user = authenticated_user(request)
    cooperation = None
    if payload.cooperation_id is not None:
        cooperation = get_cooperation_for_user(user, str(payload.cooperation_id))
    data = payload.dict(exclude={"cooperation_id", "organisation_id", "territory_ids"})
    if data["visibility"] is None:
        del data["visibility"]
    resource = services.resource_create(
        actor=user,
        cooperation=cooperation,
        organisation=object_by_id(Organisation, payload.organisation_id, "organisation_id"),
        territories=objects_by_ids(Territory, payload.territory_ids, "territory_ids"),
        **data,
    )
    return Status(201, resource)


@router.delete("/resources/{resource_id}", response={204: None, **ERROR_RESPONSES})
def resource_delete(request: HttpRequest, resource_id: int):
    user = authenticated_user(request)
    resource = get_resource_for_user(user, resource_id, write=True)
    services.resource_delete(actor=user, resource=resource)
    return Status(204, None)
