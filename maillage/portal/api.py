"""`GET /api/v1/search`: what the search page shows (core.search), as data."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from maillage.accounts.api import optional_user_auth
from maillage.core import search
from maillage.core.api import ERROR_RESPONSES
from maillage.portal.search import MAX_OFFSET, named_cooperations, source_choices

router = Router(tags=["recherche"])


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
