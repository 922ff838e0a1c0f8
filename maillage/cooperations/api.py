from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.cooperations import permissions, selectors, services
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.api import ERROR_RESPONSES
from maillage.core.history import history_for

router = Router(tags=["coopérations"])


class CooperationOut(Schema):
    id: int
    slug: str
    title: str
    short_name: str
    kind: str
    summary: str
    visibility: str
    member_count: int = 0


class CooperationIn(Schema):
    title: str
    kind: str
    short_name: str = ""
    slug: str = ""
    summary: str = ""
    visibility: str = "partners"


class CooperationFilters(Schema):
    kind: str = ""
    search: str = ""


class FieldChangeOut(Schema):
    field: str
    label: str
    before: object | None
    after: object | None


class HistoryEntryOut(Schema):
    version_id: int
    date: datetime
    actor: str
    comment: str
    changes: list[FieldChangeOut]


@router.get(
    "", auth=optional_user_auth, response=list[CooperationOut], summary="Coopérations visibles"
)
@paginate
def cooperation_list(request: HttpRequest, filters: Query[CooperationFilters]):
    return selectors.cooperation_list(user=request.user, kind=filters.kind, search=filters.search)


@router.post("", response={201: CooperationOut, **ERROR_RESPONSES}, summary="Créer une coopération")
def cooperation_create(request: HttpRequest, payload: CooperationIn):
    return Status(
        201, services.cooperation_create(actor=authenticated_user(request), **payload.dict())
    )


@router.get("/{slug}", auth=optional_user_auth, response={200: CooperationOut, **ERROR_RESPONSES})
def cooperation_detail(request: HttpRequest, slug: str):
    return get_cooperation_for_user(request.user, slug)


@router.get(
    "/{slug}/history",
    response={200: list[HistoryEntryOut], **ERROR_RESPONSES},
    summary="Historique des modifications",
)
def cooperation_history(request: HttpRequest, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_view_history(request.user, cooperation):
        raise PermissionDenied
    return history_for(cooperation)
