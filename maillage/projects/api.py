"""The projects API: `/projects` (filters as the portfolio page), a project with its financing
and indicators, its status, journal, steps, financing lines and indicators."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, ModelSchema, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import BaseModel

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation, Proposal, StrategyNode, Theme
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.api import (
    ERROR_RESPONSES,
    CompletedPages,
    objects_by_ids,
    reference_in,
)
from maillage.core.schemas import StaleCheck, model_typed, with_read_at
from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.directory.models import Organisation
from maillage.projects import permissions, selectors, services
from maillage.projects.models import (
    ExchangeRate,
    FinancingLine,
    Indicator,
    IndicatorValue,
    JournalEntry,
    Programme,
    Project,
    ProjectDocument,
    ProjectStep,
)
from maillage.projects.spreadsheet import export_rows
from maillage.territories.models import Territory

router = Router(tags=["projets"])

# A project's own columns in the API (its proposal is given by number, its links by ids).
PROJECT_COLUMNS = [name for name in services.PROJECT_FIELDS if name != "proposal"]


@model_typed
class FinancingOut(ModelSchema):
    funder_id: int
    funder: str
    programme: str | None

    class Meta:
        model = FinancingLine
        fields = ["id", *services.FINANCING_FIELDS]

    @staticmethod
    def resolve_funder(line) -> str:
        return line.funder.name

    @staticmethod
    def resolve_programme(line) -> str | None:
        return line.programme.code if line.programme else None


@model_typed
class IndicatorValueOut(ModelSchema):
    class Meta:
        model = IndicatorValue
        fields = services.INDICATOR_VALUE_FIELDS


@model_typed
class IndicatorOut(ModelSchema):
    values: list[IndicatorValueOut]

    class Meta:
        model = Indicator
        fields = ["id", *services.INDICATOR_FIELDS]

    @staticmethod
    def resolve_values(indicator) -> list:
        return list(indicator.values.all())


@model_typed
class StepOut(ModelSchema):
    class Meta:
        model = ProjectStep
        fields = ["id", *services.STEP_FIELDS]


@model_typed
class JournalOut(ModelSchema):
    class Meta:
        model = JournalEntry
        fields = ["date", "kind", "status_before", "status_after", "text"]


class ProjectOut(BaseModel):
    """A portfolio row. A plain pydantic model: the list builds it from dicts, so it skips
    ninja's attribute-reading wrapper (the heavy part of serialising 100 rows)."""

    id: int
    cooperation_id: int
    code: str
    title: str
    summary: str
    status: str
    shared_status: str
    structuring: bool
    blocked: bool
    to_discuss: bool
    late: bool
    owner_id: int | None
    owner_name: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    total_cost: Decimal | None
    currency: str
    financing_total: Decimal | None = Field(
        default=None,
        description="Les financements en euros, au taux du jour pour les autres devises",
    )
    visibility: str


class ProjectDocumentOut(Schema):
    id: int
    title: str
    size: int
    url: str

    @staticmethod
    def resolve_url(document, context) -> str:
        project = document.project
        return context["request"].build_absolute_uri(
            f"/cooperations/{project.cooperation.slug}/projets/{project.code}/documents/{document.pk}/"
        )


class ProjectDetailOut(ProjectOut):
    updated_at: dt.datetime = Field(description="À renvoyer dans PATCH pour refuser un écrasement")
    description: str
    tags: list[str]
    proposal_number: int | None
    partner_ids: list[int]
    territory_ids: list[int]
    strategy_nodes: list[str]
    theme_ids: list[int]
    financing: list[FinancingOut]
    indicators: list[IndicatorOut]
    steps: list[StepOut]
    documents: list[ProjectDocumentOut]


class ProjectFilters(selectors.PortfolioFilters):
    cooperation: str = Field(description="Identifiant ou slug de la coopération")


class ExportFilters(selectors.PortfolioFilters):
    format: Literal["xlsx", "ods", "csv"] = "xlsx"


class ProjectLinksIn(Schema):
    """The project's links by id (`services.LINKS`), and its proposal by number."""

    proposal_number: int | None = None
    partner_ids: list[int] = []
    contact_ids: list[int] = []
    territory_ids: list[int] = []
    strategy_node_ids: list[int] = []
    theme_ids: list[int] = []


@model_typed
class ProjectIn(ModelSchema, ProjectLinksIn):
    cooperation: int
    code: str = Field(default="", description="Vide : le code suivant de la coopération")

    class Meta:
        model = Project
        fields = ["code", "status", *PROJECT_COLUMNS]


@model_typed
class ProjectPatch(ModelSchema, ProjectLinksIn, StaleCheck):
    class Meta:
        model = Project
        fields = PROJECT_COLUMNS
        fields_optional = "__all__"


class StatusIn(Schema):
    status: str
    comment: str = ""
    on: dt.date | None = None


class NoteIn(Schema):
    text: str
    on: dt.date | None = None


@model_typed
class FinancingIn(ModelSchema):
    programme: str | None = Field(default=None, description="Le code du dispositif")

    class Meta:
        model = FinancingLine
        fields = services.FINANCING_FIELDS


@model_typed
class StepIn(ModelSchema):
    class Meta:
        model = ProjectStep
        fields = services.STEP_FIELDS


@model_typed
class IndicatorIn(ModelSchema):
    class Meta:
        model = Indicator
        fields = services.INDICATOR_FIELDS


@model_typed
class IndicatorValueIn(ModelSchema):
    class Meta:
        model = IndicatorValue
        fields = services.INDICATOR_VALUE_FIELDS


# Helpers -----------------------------------------------------------------------------------


def _project(request: HttpRequest, project_id: int, *, edit: bool = False) -> Project:
    project = (
        Project.objects.select_related("cooperation", "owner", "proposal")
        .filter(pk=project_id)
        .first()
    )
    user = authenticated_user(request) if edit else request.user
    if project is None or not permissions.can_view(user, project):
        raise Http404
    if edit and not permissions.can_edit(user, project):
        raise PermissionDenied
    return project


def _project_data(cooperation: Cooperation, data: dict) -> dict:
    """Turn the payload's ids into the objects the services take."""
    reference_in(data, "owner", Organisation)
    if "proposal_number" in data:
        number = data.pop("proposal_number")
        data["proposal"] = None
        if number is not None:
            data["proposal"] = Proposal.objects.filter(
                cooperation=cooperation, number=number
            ).first()
            if data["proposal"] is None:
                raise ValidationError({"proposal_number": _("Aucune piste ne porte ce numéro.")})
    links = {
        "partner_ids": ("partners", Organisation, {}),
        "contact_ids": ("contacts", User, {"memberships__cooperation": cooperation}),
        "territory_ids": ("territories", Territory, {}),
        "strategy_node_ids": ("strategy_nodes", StrategyNode, {"cooperation": cooperation}),
        "theme_ids": ("themes", Theme, {"cooperation": cooperation}),
    }
    for key, (name, model, scope) in links.items():
        if key in data:
            data[name] = objects_by_ids(model, data.pop(key), key, **scope)
    return data


def _detail(project: Project) -> dict:
    return {
        **{
            name: getattr(project, name)
            for name in ProjectOut.model_fields
            if name not in {"financing_total", "owner_name"}
        },
        "owner_name": project.owner.name if project.owner else None,
        "financing_total": selectors.financing_plan(project).total_eur,
        "updated_at": project.updated_at,
        "description": project.description,
        "tags": project.tag_list(),
        "proposal_number": project.proposal.number if project.proposal else None,
        "partner_ids": [o.pk for o in project.partners.all()],
        "territory_ids": [t.pk for t in project.territories.all()],
        "strategy_nodes": [n.code for n in project.strategy_nodes.order_by("code")],
        "theme_ids": [t.pk for t in project.themes.all()],
        "financing": list(project.financing.select_related("funder", "programme")),
        "indicators": list(project.indicators.prefetch_related("values")),
        "steps": list(project.steps.all()),
        "documents": list(project.documents.select_related("project__cooperation")),
    }


def _programme(code: str | None) -> Programme | None:
    if not code:
        return None
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise ValidationError({"programme": _("Dispositif inconnu : %(code)s.") % {"code": code}})
    return programme


def _part(model: type[Model], project: Project, pk: int):
    found = model._default_manager.filter(project=project, pk=pk).first()
    if found is None:
        raise Http404
    return found


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "/projects",
    auth=optional_user_auth,
    response={200: list[ProjectOut], **ERROR_RESPONSES},
    summary="Portefeuille d’une coopération (mêmes filtres que la page)",
)
@paginate
def project_list(request: HttpRequest, filters: Query[ProjectFilters]):
    """The portfolio's rows as plain values (no model instances): the biggest list of the
    platform; the computed fields are added to the page's rows only."""
    cooperation = get_cooperation_for_user(request.user, filters.cooperation)
    rows = selectors.PortfolioRows(request.user, cooperation, filters)
    return CompletedPages(rows, selectors.with_computed_fields)


@router.post("/projects", response={201: ProjectDetailOut, **ERROR_RESPONSES})
def project_create(request: HttpRequest, payload: ProjectIn):
    user = authenticated_user(request)
    data = payload.dict()
    cooperation = get_cooperation_for_user(user, str(data.pop("cooperation")))
    data = _project_data(cooperation, data)
    project = services.project_create(actor=user, cooperation=cooperation, **data)
    return Status(201, _detail(project))


@router.get(
    "/projects/{project_id}",
    auth=optional_user_auth,
    response={200: ProjectDetailOut, **ERROR_RESPONSES},
)
def project_detail(request: HttpRequest, project_id: int):
    return _detail(_project(request, project_id))


@router.patch("/projects/{project_id}", response={200: ProjectDetailOut, **ERROR_RESPONSES})
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch):
    project = _project(request, project_id, edit=True)
    data = _project_data(project.cooperation, with_read_at(payload.dict(exclude_unset=True)))
    services.project_update(actor=authenticated_user(request), project=project, **data)
    return _detail(project)


@router.post("/projects/{project_id}/status", response={200: ProjectDetailOut, **ERROR_RESPONSES})
def project_status(request: HttpRequest, project_id: int, payload: StatusIn):
    project = _project(request, project_id, edit=True)
    services.project_status_set(
        actor=authenticated_user(request), project=project, **payload.dict()
    )
    return _detail(project)


@router.get(
    "/projects/{project_id}/journal",
    auth=optional_user_auth,
    response={200: list[JournalOut], **ERROR_RESPONSES},
)
@paginate
def project_journal(request: HttpRequest, project_id: int):
    return _project(request, project_id).journal.all()


@router.post("/projects/{project_id}/journal", response={201: JournalOut, **ERROR_RESPONSES})
def project_note(request: HttpRequest, project_id: int, payload: NoteIn):
    project = _project(request, project_id, edit=True)
    entry = services.journal_note_add(
        actor=authenticated_user(request), project=project, **payload.dict()
    )
    return Status(201, entry)


@router.post("/projects/{project_id}/financing", response={201: FinancingOut, **ERROR_RESPONSES})
def financing_add(request: HttpRequest, project_id: int, payload: FinancingIn):
    project = _project(request, project_id, edit=True)
    data = payload.dict()
    reference_in(data, "funder", Organisation)
    data["programme"] = _programme(data.pop("programme"))
    line = services.financing_add(actor=authenticated_user(request), project=project, **data)
    return Status(201, line)


@router.delete(
    "/projects/{project_id}/financing/{line_id}", response={204: None, **ERROR_RESPONSES}
)
def financing_delete(request: HttpRequest, project_id: int, line_id: int):
    project = _project(request, project_id, edit=True)
    line = _part(FinancingLine, project, line_id)
    services.financing_delete(actor=authenticated_user(request), line=line)
    return Status(204, None)


@router.post("/projects/{project_id}/steps", response={201: StepOut, **ERROR_RESPONSES})
def step_add(request: HttpRequest, project_id: int, payload: StepIn):
    project = _project(request, project_id, edit=True)
    return Status(
        201, services.step_add(actor=authenticated_user(request), project=project, **payload.dict())
    )


@router.delete("/projects/{project_id}/steps/{step_id}", response={204: None, **ERROR_RESPONSES})
def step_delete(request: HttpRequest, project_id: int, step_id: int):
    project = _project(request, project_id, edit=True)
    step = _part(ProjectStep, project, step_id)
    services.step_delete(actor=authenticated_user(request), step=step)
    return Status(204, None)


@router.post("/projects/{project_id}/indicators", response={201: IndicatorOut, **ERROR_RESPONSES})
def indicator_add(request: HttpRequest, project_id: int, payload: IndicatorIn):
    project = _project(request, project_id, edit=True)
    indicator = services.indicator_add(
        actor=authenticated_user(request), project=project, **payload.dict()
    )
    return Status(201, indicator)


@router.post(
    "/projects/{project_id}/indicators/{indicator_id}/values",
    response={201: IndicatorOut, **ERROR_RESPONSES},
)
def indicator_value_add(
    request: HttpRequest, project_id: int, indicator_id: int, payload: IndicatorValueIn
):
    project = _project(request, project_id, edit=True)
    indicator = _part(Indicator, project, indicator_id)
    services.indicator_value_add(
        actor=authenticated_user(request), indicator=indicator, **payload.dict()
    )
    return Status(201, indicator)


@router.get(
    "/cooperations/{ref}/projects/export",
    auth=optional_user_auth,
    response={200: None, **ERROR_RESPONSES},
    summary="Exporter le portefeuille (xlsx, ods ou csv ; mêmes colonnes que l’import)",
)
def project_export(request: HttpRequest, ref: str, filters: Query[ExportFilters]):
    cooperation = get_cooperation_for_user(request.user, ref)
    header, rows = export_rows(selectors.portfolio(request.user, cooperation, filters))
    fmt = SpreadsheetFormat(filters.format)
    return spreadsheet_response(fmt, f"plan-actions-{cooperation.slug}", header, rows)


@model_typed
class FinancingPatch(ModelSchema):
    programme: str | None = Field(default=None, description="Le code du dispositif")

    class Meta:
        model = FinancingLine
        fields = services.FINANCING_FIELDS
        fields_optional = "__all__"


@router.patch(
    "/projects/{project_id}/financing/{line_id}", response={200: FinancingOut, **ERROR_RESPONSES}
)
def financing_update(request: HttpRequest, project_id: int, line_id: int, payload: FinancingPatch):
    project = _project(request, project_id, edit=True)
    data = payload.dict(exclude_unset=True)
    reference_in(data, "funder", Organisation)
    if "programme" in data:
        data["programme"] = _programme(data["programme"])
    line = _part(FinancingLine, project, line_id)
    return services.financing_update(actor=authenticated_user(request), line=line, **data)


@model_typed
class StepPatch(ModelSchema):
    class Meta:
        model = ProjectStep
        fields = services.STEP_FIELDS
        fields_optional = "__all__"


@router.patch("/projects/{project_id}/steps/{step_id}", response={200: StepOut, **ERROR_RESPONSES})
def step_update(request: HttpRequest, project_id: int, step_id: int, payload: StepPatch):
    project = _project(request, project_id, edit=True)
    step = _part(ProjectStep, project, step_id)
    return services.step_update(
        actor=authenticated_user(request), step=step, **payload.dict(exclude_unset=True)
    )


@model_typed
class IndicatorPatch(ModelSchema):
    class Meta:
        model = Indicator
        fields = services.INDICATOR_FIELDS
        fields_optional = "__all__"


@router.patch(
    "/projects/{project_id}/indicators/{indicator_id}",
    response={200: IndicatorOut, **ERROR_RESPONSES},
)
def indicator_update(
    request: HttpRequest, project_id: int, indicator_id: int, payload: IndicatorPatch
):
    project = _project(request, project_id, edit=True)
    indicator = _part(Indicator, project, indicator_id)
    return services.indicator_update(
        actor=authenticated_user(request), indicator=indicator, **payload.dict(exclude_unset=True)
    )


@router.delete(
    "/projects/{project_id}/indicators/{indicator_id}", response={204: None, **ERROR_RESPONSES}
)
def indicator_delete(request: HttpRequest, project_id: int, indicator_id: int):
    project = _project(request, project_id, edit=True)
    services.indicator_delete(
        actor=authenticated_user(request), indicator=_part(Indicator, project, indicator_id)
    )
    return Status(204, None)


@router.delete("/projects/{project_id}", response={204: None, **ERROR_RESPONSES})
def project_delete(request: HttpRequest, project_id: int):
    project = _project(request, project_id, edit=True)
    services.project_delete(actor=authenticated_user(request), project=project)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/documents",
    response={201: ProjectDocumentOut, **ERROR_RESPONSES},
    summary="Joindre un document (multipart/form-data : title, file)",
)
def document_add(request: HttpRequest, project_id: int, title: Form[str], file: File[UploadedFile]):
    project = _project(request, project_id, edit=True)
    document = services.document_add(
        actor=authenticated_user(request), project=project, title=title, file=file
    )
    return Status(201, document)


@router.delete(
    "/projects/{project_id}/documents/{document_id}", response={204: None, **ERROR_RESPONSES}
)
def document_delete(request: HttpRequest, project_id: int, document_id: int):
    project = _project(request, project_id, edit=True)
    services.document_delete(
        actor=authenticated_user(request), document=_part(ProjectDocument, project, document_id)
    )
    return Status(204, None)


# Managed lists (kept by the platform's staff in the admin) ------------------------------------


@model_typed
class ProgrammeOut(ModelSchema):
    class Meta:
        model = Programme
        fields = ["code", "name"]


@router.get(
    "/programmes",
    auth=optional_user_auth,
    response={200: list[ProgrammeOut], **ERROR_RESPONSES},
    summary="Les dispositifs de financement (LEADER, FEDER, Interreg…)",
)
def programme_list(request: HttpRequest):
    return Programme.objects.order_by("name")


@model_typed
class ExchangeRateOut(ModelSchema):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "valid_from", "rate", "source"]


@router.get(
    "/exchange-rates",
    auth=optional_user_auth,
    response={200: list[ExchangeRateOut], **ERROR_RESPONSES},
    summary="Les taux de change datés que les totaux en euros utilisent",
)
def exchange_rate_list(request: HttpRequest):
    return ExchangeRate.objects.order_by("currency", "-valid_from")


class DeletedProjectOut(Schema):
    version_id: int
    project_id: int
    title: str
    deleted_at: dt.datetime
    deleted_by: str


@router.get(
    "/cooperations/{ref}/deleted-projects",
    response={200: list[DeletedProjectOut], **ERROR_RESPONSES},
    summary="Projets supprimés d’une coopération (coordination), à restaurer",
)
@paginate
def deleted_project_list(request: HttpRequest, ref: str):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref, edit=True)
    return [
        {
            "version_id": version.pk,
            "project_id": int(version.object_id),
            "title": version.object_repr,
            "deleted_at": version.revision.date_created,
            "deleted_by": str(version.revision.user or ""),
        }
        for version in selectors.deleted_projects(cooperation)
    ]


@router.post(
    "/cooperations/{ref}/deleted-projects/{version_id}/restore",
    response={200: ProjectDetailOut, **ERROR_RESPONSES},
    summary="Restaurer un projet supprimé, entier",
)
def deleted_project_restore(request: HttpRequest, ref: str, version_id: int):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref, edit=True)
    version = selectors.deleted_project(cooperation, version_id)
    if version is None:
        raise Http404
    project = services.project_restore(
        actor=authenticated_user(request), cooperation=cooperation, version=version
    )
    return _detail(project)
