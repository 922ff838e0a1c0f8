"""The observatory's API: profiles, comparisons, outlines and maps, flows, variables. Public
referential data, public like the territories."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import optional_user_auth
from maillage.core.api import ERROR_RESPONSES, objects_by_ids
from maillage.observatory import selectors, services
from maillage.observatory.enums import FlowKind, FlowLevel
from maillage.observatory.maps import TOO_MANY_COMMUNES
from maillage.observatory.models import Variable
from maillage.territories.models import Territory

router = Router(tags=["observatoire"])


class PlaceRef(Schema):
    id: int | None = Field(description="null : la France entière")
    code: str
    name: str
    kind: str


class VariableOut(Schema):
    code: str
    label: str
    unit: str
    year: int | None
    aggregation: str
    numerator: str
    denominator: str
    scale: float
    source: str
    illustrative: bool


class FigureOut(Schema):
    variable: VariableOut
    values: list[float | None] = Field(description="Une valeur par colonne, dans leur ordre")


class SectionOut(Schema):
    section: str
    figures: list[FigureOut]


class ProfileOut(Schema):
    columns: list[PlaceRef]
    sections: list[SectionOut]
    illustrative: bool = Field(description="Des valeurs d’illustration, non officielles")


class GeometryOut(Schema):
    type: str
    coordinates: list


class FeatureOut(Schema):
    type: str
    id: int | None = None
    properties: dict
    geometry: GeometryOut


class FeatureCollectionOut(Schema):
    type: str
    features: list[FeatureOut]


class DatasetOut(Schema):
    kind: FlowKind
    year: int
    rows: int
    demonstration: bool = Field(description="Chiffres inventés, pour la démonstration")


class FlowOut(Schema):
    origin: PlaceRef
    destination: PlaceRef
    value: float


class FlowsOut(Schema):
    """Not a list to page through: the flows between two territories (four at most), or a
    territory's `limit` top places."""

    dataset: DatasetOut
    flows: list[FlowOut]


class FlowQuery(Schema):
    origin: int | None = Field(default=None, description="Territoire d’origine (résidence)")
    destination: int | None = Field(default=None, description="Territoire de destination")
    kind: FlowKind = FlowKind.HOME_WORK
    year: int | None = Field(default=None, description="La dernière année par défaut")
    level: FlowLevel = Field(
        default=FlowLevel.COMMUNE,
        description="Niveau des destinations (ou des origines) quand un seul côté est donné",
    )
    limit: int = Field(default=20, ge=1, le=200)


class CompareQuery(Schema):
    ids: list[int] = Field(..., min_length=2, max_length=selectors.MAX_COMPARED)


def _place(territory: Territory | None) -> dict:
    if territory is None:
        return {"id": None, "code": "FR", "name": _("France"), "kind": "country"}
    return {
        "id": territory.pk,
        "code": territory.code,
        "name": territory.name,
        "kind": territory.kind,
    }


def _profile(profile: selectors.Profile) -> dict:
    return {
        "columns": [_place(t) for t in profile.columns],
        "sections": [
            {
                "section": title,
                "figures": [{"variable": row.variable, "values": row.values} for row in rows],
            }
            for title, rows in profile.sections
        ],
        "illustrative": profile.illustrative,
    }


def _geojson(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="application/json")


@router.get(
    "/territories/compare",
    auth=optional_user_auth,
    response={200: ProfileOut, **ERROR_RESPONSES},
    summary="Comparer 2 à 6 territoires",
)
def territories_compare(request: HttpRequest, query: Query[CompareQuery]):
    territories = objects_by_ids(Territory, list(dict.fromkeys(query.ids)), "ids")
    by_pk = {t.pk: t for t in territories}
    return _profile(selectors.comparison([by_pk[pk] for pk in dict.fromkeys(query.ids)]))


@router.get(
    "/territories/{territory_id}/profile",
    auth=optional_user_auth,
    response={200: ProfileOut, **ERROR_RESPONSES},
    summary="Portrait d’un territoire (avec son département, sa région et la France)",
)
def territory_profile(request: HttpRequest, territory_id: int):
    return _profile(selectors.profile(get_object_or_404(Territory, pk=territory_id)))


@router.get(
    "/territories/{territory_id}/boundary",
    auth=optional_user_auth,
    response={200: FeatureOut, **ERROR_RESPONSES},
    summary="Contour d’un territoire (GeoJSON, simplifié)",
)
def territory_boundary(request: HttpRequest, territory_id: int):
    territory = get_object_or_404(Territory, pk=territory_id)
    outline = services.outline_of(territory)
    if outline is None:
        return Status(404, {"detail": _("Ce territoire n’a pas de contour.")})
    return _geojson(
        selectors.features(
            [(territory.pk, territory.code, territory.name, outline.display)], {}, single=True
        )
    )


@router.get(
    "/territories/{territory_id}/map",
    auth=optional_user_auth,
    response={200: FeatureCollectionOut, **ERROR_RESPONSES},
    summary="Les communes d’un territoire (GeoJSON), avec la valeur d’une variable",
)
def territory_map(request: HttpRequest, territory_id: int, variable: str | None = None):
    territory = get_object_or_404(Territory, pk=territory_id)
    ids = selectors.commune_ids(territory)
    if len(ids) > selectors.MAP_MAX_COMMUNES:
        raise ValidationError({"territory_id": str(TOO_MANY_COMMUNES)})
    values: dict[int, float | None] = {}
    if variable:
        found = Variable.objects.filter(code=variable.upper()).first()
        if found is None:
            raise ValidationError(
                {"variable": _("Variable inconnue : %(code)s.") % {"code": variable}}
            )
        values = selectors.commune_values(ids, found)
    return _geojson(selectors.features(selectors.commune_outlines(ids), values))


@router.get(
    "/flows",
    auth=optional_user_auth,
    response={200: FlowsOut, **ERROR_RESPONSES},
    summary="Flux entre territoires",
    description=(
        "Avec une origine et une destination : les flux entre elles, dans les deux sens et "
        "en leur sein. Avec l’une seulement : ses principales destinations (ou origines) au "
        "niveau demandé."
    ),
)
def flows(request: HttpRequest, query: Query[FlowQuery]):
    dataset = selectors.dataset_for(query.kind, query.year)
    if dataset is None:
        return Status(404, {"detail": _("Aucun flux de cette nature pour cette année.")})
    if query.origin is None and query.destination is None:
        raise ValidationError({"origin": _("Donnez une origine, une destination, ou les deux.")})
    ends = {
        pk: get_object_or_404(Territory, pk=pk)
        for pk in (query.origin, query.destination)
        if pk is not None
    }
    if query.origin is not None and query.destination is not None:
        matrix = selectors.flow_matrix(list(ends.values()), dataset)
        items = [
            {"origin": _place(ends[o]), "destination": _place(ends[d]), "value": value}
            for (o, d), value in sorted(matrix.items())
        ]
    else:
        direction = selectors.OUTBOUND if query.origin is not None else selectors.INBOUND
        territory = next(iter(ends.values()))
        places = selectors.top_places(
            territory, dataset, direction=direction, level=query.level, limit=query.limit
        )
        items = [
            {
                "origin": _place(territory if direction == selectors.OUTBOUND else p.territory),
                "destination": _place(
                    p.territory if direction == selectors.OUTBOUND else territory
                ),
                "value": p.value,
            }
            for p in places
        ]
    return {"dataset": dataset, "flows": items}


@router.get(
    "/flows/datasets",
    auth=optional_user_auth,
    response={200: list[DatasetOut], **ERROR_RESPONSES},
    summary="Les jeux de flux importés",
)
@paginate
def flow_datasets(request: HttpRequest):
    return selectors.datasets()


@router.get(
    "/statistics/variables",
    auth=optional_user_auth,
    response={200: list[VariableOut], **ERROR_RESPONSES},
    summary="Les variables statistiques",
)
@paginate
def statistics_variables(request: HttpRequest):
    return Variable.objects.order_by("code")
