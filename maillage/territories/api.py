from typing import Literal

from django.http import HttpRequest
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.core.api import ERROR_RESPONSES, CompletedPages, objects_by_ids
from maillage.core.schemas import model_typed
from maillage.territories import selectors, services
from maillage.territories.enums import COMPOSED_KINDS
from maillage.territories.models import Territory, populations_of
from maillage.territories.permissions import get_territory_for_user

router = Router(tags=["territoires"])


class TerritoryRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    population: int | None = Field(
        default=None,
        description="Sa population municipale pour une commune, la somme de ses communes sinon",
    )

    @staticmethod
    def resolve_population(territory) -> int | None:
        if isinstance(territory, dict):  # a detail's members, their population computed
            return territory.get("population")
        return getattr(territory, "total_population", territory.population)


class TerritoryOut(TerritoryRef):
    country: str
    population_year: int | None
    valid_until: str | None = None


class TerritoryDetailOut(TerritoryOut):
    description: str
    aggregate_population: int | None
    parents: list[TerritoryRef]
    members: list[TerritoryRef]


@model_typed
class AreaIn(ModelSchema):
    kind: Literal[tuple(sorted(COMPOSED_KINDS))]  # type: ignore[valid-type]
    members: list[int] = []

    class Meta:
        model = Territory
        fields = services.AREA_FIELDS


@model_typed
class AreaPatch(ModelSchema):
    members: list[int] | None = None

    class Meta:
        model = Territory
        fields = services.AREA_FIELDS
        fields_optional = "__all__"


def _detail(territory: Territory) -> dict:
    members = list(selectors.members_of(territory))
    populations = populations_of(members)
    return {
        **TerritoryOut.from_orm(territory).dict(),
        "description": territory.description,
        "aggregate_population": territory.aggregate_population(),
        "parents": list(selectors.parents_of(territory)),
        "members": [
            {**TerritoryRef.from_orm(member).dict(), "population": populations[member.pk]}
            for member in members
        ],
    }


@router.get(
    "",
    auth=optional_user_auth,
    response={200: list[TerritoryOut], **ERROR_RESPONSES},
    summary="Territoires",
)
@paginate
def territory_list(request: HttpRequest, filters: Query[selectors.TerritoryFilters]):
    return CompletedPages(selectors.territory_list(filters), selectors.with_populations)


@router.get(
    "/{territory_id}",
    auth=optional_user_auth,
    response={200: TerritoryDetailOut, **ERROR_RESPONSES},
)
def territory_detail(request: HttpRequest, territory_id: int):
    return _detail(get_territory_for_user(request.user, territory_id))


@router.post(
    "", response={201: TerritoryDetailOut, **ERROR_RESPONSES}, summary="Composer un périmètre"
)
def area_create(request: HttpRequest, payload: AreaIn):
    data = payload.dict()
    data["members"] = objects_by_ids(Territory, data["members"], "members")
    area = services.area_create(actor=authenticated_user(request), **data)
    return Status(201, _detail(area))


@router.patch(
    "/{territory_id}",
    response={200: TerritoryDetailOut, **ERROR_RESPONSES},
    summary="Modifier un périmètre",
)
def area_update(request: HttpRequest, territory_id: int, payload: AreaPatch):
    user = authenticated_user(request)
    area = get_territory_for_user(user, territory_id, edit=True)
    data = payload.dict(exclude_unset=True)
    data["members"] = objects_by_ids(Territory, data.get("members"), "members")
    services.area_update(actor=user, area=area, **data)
    return _detail(area)
