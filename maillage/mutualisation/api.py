"""The mutualisation API: conventions, their parties, amendments and shared items; each year's
costs, keys, declared uses, advances and statements, and its closing and correction."""

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, ModelSchema, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.accounts.models import User
from maillage.cooperations.api import DocumentOut
from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.models import Party
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import documents_of
from maillage.core.api import (
    ERROR_RESPONSES,
    CompletedPages,
    object_by_id,
    objects_by_ids,
    reference_in,
)
from maillage.core.enums import Visibility
from maillage.core.schemas import model_typed
from maillage.directory.models import Person
from maillage.mutualisation import documents, permissions, selectors, services
from maillage.mutualisation.allocation import STATEMENT_FIGURES
from maillage.mutualisation.models import (
    Advance,
    AllocationYear,
    Amendment,
    Convention,
    ConventionParty,
    Cost,
    SharedItem,
)

router = Router(tags=["mutualisation"])


@model_typed
class ConventionIn(ModelSchema):
    cooperation_id: int = Field(description="La coopération dont la convention relève")

    class Meta:
        model = Convention
        fields = services.CONVENTION_FIELDS


@model_typed
class ConventionPatch(ModelSchema):
    class Meta:
        model = Convention
        fields = services.CONVENTION_FIELDS
        fields_optional = "__all__"


@model_typed
class ConventionOut(ModelSchema):
    party_count: int
    item_count: int
    latest_year: int | None

    class Meta:
        model = Convention
        fields = ["id", "cooperation", "updated_at", *services.CONVENTION_FIELDS]


class ConventionFilters(Schema):
    cooperation: int


class ConventionPartyIn(Schema):
    party_id: int = Field(description="La partie prenante de la coopération")
    finance_contact_id: int | None = Field(
        default=None, description="L’utilisateur qui déclare ses usages et lit ses décomptes"
    )


class ConventionPartyPatch(Schema):
    finance_contact_id: int | None


class ConventionPartyOut(Schema):
    id: int
    party_id: int
    organisation: str = Field(alias="party.organisation.name")
    finance_contact_id: int | None


@model_typed
class AmendmentOut(ModelSchema):
    class Meta:
        model = Amendment
        fields = ["id", "number", "signed_on", "changes"]


class AmendmentIn(Schema):
    signed_on: dt.date
    changes: str


@model_typed
class ItemIn(ModelSchema):
    sharing_party_ids: list[int] = Field(
        default=[], description="Les parties à la convention qui se le partagent (vide : toutes)"
    )

    class Meta:
        model = SharedItem
        fields = services.ITEM_FIELDS


@model_typed
class ItemPatch(ModelSchema):
    sharing_party_ids: list[int] | None = None

    class Meta:
        model = SharedItem
        fields = services.ITEM_FIELDS
        fields_optional = "__all__"


@model_typed
class ItemOut(ModelSchema):
    sharing_party_ids: list[int]

    class Meta:
        model = SharedItem
        fields = ["id", *services.ITEM_FIELDS]

    @staticmethod
    def resolve_sharing_party_ids(item) -> list[int]:
        shared = getattr(item, "sharing_ids", None)
        return list(item.sharing_parties.values_list("pk", flat=True)) if shared is None else shared


class YearIn(Schema):
    year: int = Field(ge=2000, le=2100)


class YearOut(Schema):
    year: int
    status: str
    version: int = Field(description="La version des derniers décomptes émis (0 : aucun)")
    closed_at: dt.datetime | None
    correction: str
    total: Decimal = Field(description="Le coût total de l’exercice (€)")


class ConventionDetailOut(ConventionOut):
    parties: list[ConventionPartyOut]
    amendments: list[AmendmentOut]
    documents: list[DocumentOut]
    years: list[YearOut]


class ConventionDocumentIn(Schema):
    title: str
    kind: DocumentKind = DocumentKind.AGREEMENT
    visibility: Visibility = Visibility.PARTNERS


@model_typed
class CostIn(ModelSchema):
    class Meta:
        model = Cost
        fields = services.COST_FIELDS


@model_typed
class CostOut(ModelSchema):
    class Meta:
        model = Cost
        fields = ["id", *services.COST_FIELDS]


class KeyTermOut(Schema):
    item_id: int
    method: str
    weight: Decimal


class KeyFigureOut(Schema):
    item_id: int
    party_id: int
    method: str
    value: Decimal


class YearDetailOut(YearOut):
    costs: list[CostOut]
    key_terms: list[KeyTermOut]
    key_figures: list[KeyFigureOut]
    problems: list[str] = Field(description="Ce qui empêche de clore l’exercice")


class KeyIn(Schema):
    terms: dict[str, Decimal] = Field(
        description="Le poids (%) de chaque clé (use, population, fte, area, fixed) ; total 100"
    )
    figures: dict[str, dict[int, Decimal]] = Field(
        default={},
        description="Pour les clés ETP, surface et parts fixes : la valeur de chaque partie "
        "(identifiant de partie à la convention → valeur)",
    )


class UseIn(Schema):
    item_id: int
    forecast: Decimal | None = None
    actual: Decimal | None = None


class UsesIn(Schema):
    party_id: int = Field(description="La partie à la convention qui déclare")
    uses: list[UseIn]


class UseOut(Schema):
    item_id: int
    party_id: int
    forecast: Decimal | None
    actual: Decimal | None


@model_typed
class AdvanceIn(ModelSchema):
    class Meta:
        model = Advance
        fields = services.ADVANCE_FIELDS


@model_typed
class AdvanceOut(ModelSchema):
    class Meta:
        model = Advance
        fields = ["id", *services.ADVANCE_FIELDS]


class ReopenIn(Schema):
    reason: str


class StatementOut(Schema):
    party_id: int
    organisation: str
    version: int | None = Field(description="null : calcul provisoire d’un exercice ouvert")
    issued_at: dt.datetime | None
    reason: str
    share: Decimal = Field(
        description="Sa part du coût total, y compris ce qu’elle met à disposition"
    )
    due: Decimal = Field(description="Ce qu’elle doit aux parties qui mettent à disposition")
    forecast_due: Decimal
    advances: Decimal
    balance: Decimal = Field(description="Positif : à lui facturer ; négatif : à lui rembourser")
    lines: list[dict]


def _convention(request: HttpRequest, convention_id: int, *, edit: bool = False) -> Convention:
    return permissions.get_convention_for_user(request.user, convention_id, edit=edit)


def _year(request: HttpRequest, convention_id: int, year: int, *, edit: bool = False):
    return permissions.get_year_for_user(request.user, convention_id, year, edit=edit)


def _counted(request: HttpRequest, convention: Convention) -> Convention:
    found = selectors.conventions_of(convention.cooperation, request.user).filter(pk=convention.pk)
    return found.get()


def _detail(request: HttpRequest, convention: Convention) -> dict:
    counted = _counted(request, convention)
    return {
        **ConventionOut.from_orm(counted).dict(),
        "parties": list(selectors.parties_of(convention)),
        "amendments": list(convention.amendments.all()),
        "documents": list(
            documents_of(convention.cooperation, request.user).filter(conventions=convention)
        ),
        "years": list(selectors.years_of(convention)),
    }


@router.get(
    "/conventions",
    auth=optional_user_auth,
    response={200: list[ConventionOut], **ERROR_RESPONSES},
)
@paginate
def convention_list(request: HttpRequest, filters: Query[ConventionFilters]):
    cooperation = get_cooperation_for_user(request.user, str(filters.cooperation))
    return selectors.conventions_of(cooperation, request.user)


@router.post("/conventions", response={201: ConventionDetailOut, **ERROR_RESPONSES})
def convention_create(request: HttpRequest, payload: ConventionIn):
    data = payload.dict()
    cooperation = get_cooperation_for_user(request.user, str(data.pop("cooperation_id")))
    convention = services.convention_create(
        actor=authenticated_user(request), cooperation=cooperation, **data
    )
    return Status(201, _detail(request, convention))


@router.get(
    "/conventions/{convention_id}",
    auth=optional_user_auth,
    response={200: ConventionDetailOut, **ERROR_RESPONSES},
)
def convention_detail(request: HttpRequest, convention_id: int):
    return _detail(request, _convention(request, convention_id))


@router.patch(
    "/conventions/{convention_id}", response={200: ConventionDetailOut, **ERROR_RESPONSES}
)
def convention_update(request: HttpRequest, convention_id: int, payload: ConventionPatch):
    convention = _convention(request, convention_id, edit=True)
    services.convention_update(
        actor=authenticated_user(request),
        convention=convention,
        **payload.dict(exclude_unset=True),
    )
    return _detail(request, convention)


@router.delete("/conventions/{convention_id}", response={204: None, **ERROR_RESPONSES})
def convention_delete(request: HttpRequest, convention_id: int):
    convention = _convention(request, convention_id, edit=True)
    services.convention_delete(actor=authenticated_user(request), convention=convention)
    return Status(204, None)


@router.post(
    "/conventions/{convention_id}/parties",
    response={201: ConventionPartyOut, **ERROR_RESPONSES},
)
def convention_party_add(request: HttpRequest, convention_id: int, payload: ConventionPartyIn):
    convention = _convention(request, convention_id, edit=True)
    member = services.convention_party_add(
        actor=authenticated_user(request),
        convention=convention,
        party=object_by_id(Party, payload.party_id, "party_id", cooperation=convention.cooperation),
        finance_contact=object_by_id(User, payload.finance_contact_id, "finance_contact_id"),
    )
    return Status(201, member)


@router.patch(
    "/conventions/{convention_id}/parties/{member_id}",
    response={200: ConventionPartyOut, **ERROR_RESPONSES},
)
def convention_party_update(
    request: HttpRequest, convention_id: int, member_id: int, payload: ConventionPartyPatch
):
    convention = _convention(request, convention_id, edit=True)
    member = permissions.get_party_of(convention, member_id)
    services.convention_party_update(
        actor=authenticated_user(request),
        member=member,
        finance_contact=object_by_id(User, payload.finance_contact_id, "finance_contact_id"),
    )
    return member


@router.delete(
    "/conventions/{convention_id}/parties/{member_id}", response={204: None, **ERROR_RESPONSES}
)
def convention_party_remove(request: HttpRequest, convention_id: int, member_id: int):
    convention = _convention(request, convention_id, edit=True)
    services.convention_party_remove(
        actor=authenticated_user(request), member=permissions.get_party_of(convention, member_id)
    )
    return Status(204, None)


@router.post(
    "/conventions/{convention_id}/amendments", response={201: AmendmentOut, **ERROR_RESPONSES}
)
def amendment_add(request: HttpRequest, convention_id: int, payload: AmendmentIn):
    convention = _convention(request, convention_id, edit=True)
    amendment = services.amendment_add(
        actor=authenticated_user(request), convention=convention, **payload.dict()
    )
    return Status(201, amendment)


@router.post(
    "/conventions/{convention_id}/documents",
    response={201: DocumentOut, **ERROR_RESPONSES},
    summary="Joindre un document à la convention (multipart) ; il se supprime comme tout "
    "document de la coopération",
)
def convention_document_add(
    request: HttpRequest,
    convention_id: int,
    payload: Form[ConventionDocumentIn],
    file: File[UploadedFile],
):
    convention = _convention(request, convention_id, edit=True)
    document = services.convention_document_add(
        actor=authenticated_user(request), convention=convention, file=file, **payload.dict()
    )
    return Status(201, document)


@router.get(
    "/conventions/{convention_id}/items",
    auth=optional_user_auth,
    response={200: list[ItemOut], **ERROR_RESPONSES},
)
@paginate
def item_list(request: HttpRequest, convention_id: int):
    convention = _convention(request, convention_id)
    return CompletedPages(
        selectors.items_of(convention), lambda page: selectors.with_sharing(page, convention)
    )


def _item_data(convention: Convention, data: dict) -> dict:
    reference_in(data, "provider", ConventionParty, convention=convention)
    reference_in(data, "person", Person)
    if "sharing_party_ids" in data:
        data["sharing_parties"] = objects_by_ids(
            ConventionParty,
            data.pop("sharing_party_ids"),
            "sharing_party_ids",
            convention=convention,
        )
    return data


@router.post("/conventions/{convention_id}/items", response={201: ItemOut, **ERROR_RESPONSES})
def item_create(request: HttpRequest, convention_id: int, payload: ItemIn):
    convention = _convention(request, convention_id, edit=True)
    item = services.item_create(
        actor=authenticated_user(request),
        convention=convention,
        **_item_data(convention, payload.dict()),
    )
    return Status(201, item)


def _item(convention: Convention, item_id: int) -> SharedItem:
    item = convention.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    item.convention = convention
    return item


@router.patch(
    "/conventions/{convention_id}/items/{item_id}", response={200: ItemOut, **ERROR_RESPONSES}
)
def item_update(request: HttpRequest, convention_id: int, item_id: int, payload: ItemPatch):
    convention = _convention(request, convention_id, edit=True)
    item = _item(convention, item_id)
    data = payload.dict(exclude_unset=True)
    services.item_update(
        actor=authenticated_user(request), item=item, **_item_data(convention, data)
    )
    return item


@router.delete(
    "/conventions/{convention_id}/items/{item_id}", response={204: None, **ERROR_RESPONSES}
)
def item_delete(request: HttpRequest, convention_id: int, item_id: int):
    convention = _convention(request, convention_id, edit=True)
    services.item_delete(actor=authenticated_user(request), item=_item(convention, item_id))
    return Status(204, None)


@router.get(
    "/conventions/{convention_id}/years",
    auth=optional_user_auth,
    response={200: list[YearOut], **ERROR_RESPONSES},
)
@paginate
def year_list(request: HttpRequest, convention_id: int):
    return selectors.years_of(_convention(request, convention_id))


def _year_detail(year: AllocationYear) -> dict:
    counted = selectors.years_of(year.convention).get(pk=year.pk)
    return {
        **YearOut.from_orm(counted).dict(),
        "costs": list(year.costs.all()),
        "key_terms": list(year.key_terms.all()),
        "key_figures": list(year.key_figures.all()),
        "problems": selectors.allocation_of(year).problems,
    }


@router.post("/conventions/{convention_id}/years", response={201: YearDetailOut, **ERROR_RESPONSES})
def year_open(request: HttpRequest, convention_id: int, payload: YearIn):
    convention = _convention(request, convention_id, edit=True)
    year = services.year_open(
        actor=authenticated_user(request), convention=convention, year=payload.year
    )
    return Status(201, _year_detail(year))


@router.get(
    "/conventions/{convention_id}/years/{year}",
    auth=optional_user_auth,
    response={200: YearDetailOut, **ERROR_RESPONSES},
)
def year_detail(request: HttpRequest, convention_id: int, year: int):
    return _year_detail(_year(request, convention_id, year))


@router.post(
    "/conventions/{convention_id}/years/{year}/costs", response={201: CostOut, **ERROR_RESPONSES}
)
def cost_add(request: HttpRequest, convention_id: int, year: int, payload: CostIn):
    allocation_year = _year(request, convention_id, year, edit=True)
    data = payload.dict()
    reference_in(data, "item", SharedItem, convention=allocation_year.convention)
    cost = services.cost_add(actor=authenticated_user(request), year=allocation_year, **data)
    return Status(201, cost)


@router.delete(
    "/conventions/{convention_id}/years/{year}/costs/{cost_id}",
    response={204: None, **ERROR_RESPONSES},
)
def cost_delete(request: HttpRequest, convention_id: int, year: int, cost_id: int):
    allocation_year = _year(request, convention_id, year, edit=True)
    cost = allocation_year.costs.filter(pk=cost_id).first()
    if cost is None:
        raise Http404
    cost.year = allocation_year
    services.cost_delete(actor=authenticated_user(request), cost=cost)
    return Status(204, None)


@router.put(
    "/conventions/{convention_id}/years/{year}/items/{item_id}/key",
    response={200: YearDetailOut, **ERROR_RESPONSES},
    summary="Fixer la clé de répartition d’un élément pour l’exercice",
)
def key_set(request: HttpRequest, convention_id: int, year: int, item_id: int, payload: KeyIn):
    allocation_year = _year(request, convention_id, year, edit=True)
    convention = allocation_year.convention
    figures = {
        method: dict(
            zip(
                objects_by_ids(ConventionParty, list(values), "figures", convention=convention),
                values.values(),
                strict=True,
            )
        )
        for method, values in payload.figures.items()
    }
    services.key_set(
        actor=authenticated_user(request),
        year=allocation_year,
        item=_item(convention, item_id),
        terms=payload.terms,
        figures=figures,
    )
    return _year_detail(allocation_year)


@router.get(
    "/conventions/{convention_id}/years/{year}/uses",
    response={200: list[UseOut], **ERROR_RESPONSES},
    summary="Les usages déclarés (de ses propres parties seulement)",
)
@paginate
def use_list(request: HttpRequest, convention_id: int, year: int):
    allocation_year = _year(request, convention_id, year)
    parties = permissions.parties_answered_for(request.user, allocation_year.convention)
    return allocation_year.uses.filter(party__in=parties).order_by("party", "item")


@router.put(
    "/conventions/{convention_id}/years/{year}/uses",
    response={200: list[UseOut], **ERROR_RESPONSES},
    summary="Déclarer les usages d’une partie",
)
def uses_declare(request: HttpRequest, convention_id: int, year: int, payload: UsesIn):
    allocation_year = _year(request, convention_id, year)
    convention = allocation_year.convention
    party = permissions.get_party_of(convention, payload.party_id)
    items = objects_by_ids(
        SharedItem, [use.item_id for use in payload.uses], "item_id", convention=convention
    )
    by_id = {item.pk: item for item in items}
    services.uses_declare(
        actor=authenticated_user(request),
        year=allocation_year,
        party=party,
        uses={
            by_id[use.item_id]: services.DeclaredUnits(forecast=use.forecast, actual=use.actual)
            for use in payload.uses
        },
    )
    return list(allocation_year.uses.filter(party=party).order_by("item"))


@router.post(
    "/conventions/{convention_id}/years/{year}/advances",
    response={201: AdvanceOut, **ERROR_RESPONSES},
)
def advance_add(request: HttpRequest, convention_id: int, year: int, payload: AdvanceIn):
    allocation_year = _year(request, convention_id, year, edit=True)
    data = payload.dict()
    reference_in(data, "party", ConventionParty, convention=allocation_year.convention)
    advance = services.advance_add(actor=authenticated_user(request), year=allocation_year, **data)
    return Status(201, advance)


def _statements(year: AllocationYear, parties) -> list[dict]:
    return [
        {
            "party_id": shown.party_id,
            "organisation": shown.party,
            "version": shown.version,
            "issued_at": shown.issued_at,
            "reason": shown.reason,
            "lines": shown.lines,
            **{figure: getattr(shown, figure) for figure in STATEMENT_FIGURES},
        }
        for shown in documents.shown_statements(year, parties)
    ]


@router.get(
    "/conventions/{convention_id}/years/{year}/statements",
    response={200: list[StatementOut], **ERROR_RESPONSES},
    summary="Les décomptes annuels (de ses propres parties seulement)",
)
@paginate
def statement_list(request: HttpRequest, convention_id: int, year: int):
    """A closed year: the statements of its latest closing. An open year: the figures as they
    stand (version null), which may change until it is closed."""
    allocation_year = _year(request, convention_id, year)
    parties = permissions.parties_answered_for(request.user, allocation_year.convention)
    return _statements(allocation_year, parties)


@router.post(
    "/conventions/{convention_id}/years/{year}/close",
    response={200: list[StatementOut], **ERROR_RESPONSES},
    summary="Clore l’exercice et émettre les décomptes",
)
def year_close(request: HttpRequest, convention_id: int, year: int):
    allocation_year = _year(request, convention_id, year, edit=True)
    services.year_close(actor=authenticated_user(request), year=allocation_year)
    return _statements(allocation_year, allocation_year.convention.parties.all())


@router.post(
    "/conventions/{convention_id}/years/{year}/reopen",
    response={200: YearDetailOut, **ERROR_RESPONSES},
    summary="Rouvrir un exercice clos pour une correction",
)
def year_reopen(request: HttpRequest, convention_id: int, year: int, payload: ReopenIn):
    allocation_year = _year(request, convention_id, year, edit=True)
    services.year_reopen(
        actor=authenticated_user(request), year=allocation_year, reason=payload.reason
    )
    return _year_detail(allocation_year)
