from django.db.models import QuerySet
from ninja import Field

from maillage.core.filters import ListFilters
from maillage.territories.enums import TerritoryKind
from maillage.territories.models import Territory, populations_of


class TerritoryFilters(ListFilters):
    """The filters of the territories list (its page, `GET /territories`)."""

    kind: TerritoryKind | None = None
    code: str = ""
    parent: int | None = Field(default=None, description="Membres directs de ce territoire")
    search: str = Field(default="", description="Nom ou code, sans accents ni majuscules")

    PAGE_PARAMS = {"nature": "kind", "code": "code", "dans": "parent", "q": "search"}


def territory_list(
    filters: TerritoryFilters | None = None, *, include_gone: bool = False
) -> QuerySet[Territory]:
    filters = filters or TerritoryFilters()
    territories = Territory.objects.all() if include_gone else Territory.objects.current()
    if filters.kind:
        territories = territories.filter(kind=filters.kind)
    if filters.code:
        territories = territories.filter(code=filters.code)
    if filters.parent is not None:
        territories = territories.filter(memberships_as_member__container_id=filters.parent)
    return territories.search(filters.search).order_by("search_name", "code")


def parents_of(territory: Territory) -> QuerySet[Territory]:
    return Territory.objects.filter(memberships_as_container__member=territory).order_by(
        "kind", "search_name"
    )


def members_of(territory: Territory) -> QuerySet[Territory]:
    return Territory.objects.filter(memberships_as_member__container=territory).order_by(
        "kind", "search_name"
    )


def with_populations(territories) -> list[Territory]:
    """A page of territories, each with `total_population`: its own for a commune, the sum of
    its communes for an EPCI, a département, a composed area… (one query for the page; an
    EPCI's own population is empty and read "None" in the search)."""
    territories = list(territories)
    populations = populations_of(territories)
    for territory in territories:
        territory.total_population = populations[territory.pk]
    return territories
