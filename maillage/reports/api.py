"""The dashboards in the API: a funder pulls the same figures as the page into its tools."""

import datetime as dt
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.cooperations.permissions import can_view, get_cooperation_for_user, is_member
from maillage.core.api import ERROR_RESPONSES, CompletedPages
from maillage.reports import selectors, services
from maillage.reports.models import Report, ReportFormat

router = Router(tags=["suivi"])


class RowOut(Schema):
    """A count of projects, and the `/projects` filters that list them."""

    key: str
    label: str
    value: int
    portfolio_filter: dict[str, str]

    @staticmethod
    def resolve_portfolio_filter(row) -> dict[str, str]:
        return row.filter


class AmountRowOut(RowOut):
    """An amount in euros, and the `/projects` filters that list the projects behind it."""

    value: float  # type: ignore[assignment]


class ProjectsOut(Schema):
    total: int
    by_status: list[RowOut]
    structuring: int
    late: int
    blocked: int
    by_axis: list[RowOut]
    by_theme: list[RowOut]
    by_territory: list[RowOut]
    by_owner: list[RowOut]


class RateOut(Schema):
    currency: str
    rate: Decimal
    valid_from: dt.date
    source: str


class DashboardFinancingOut(Schema):
    """Amounts in euros; other currencies converted at `rates_used`."""

    total_cost: float | None = Field(description="Null when no project's cost is known.")
    financing_total: float
    gap: float | None
    by_status: list[AmountRowOut]
    by_funder: list[AmountRowOut]
    by_programme: list[AmountRowOut]
    rates_used: list[RateOut]
    missing_rates: list[str]


class IndicatorsOut(Schema):
    total: int
    with_target: int
    measured: int
    reached: int


class BodyRuleOut(Schema):
    id: int
    name: str
    meetings_per_year: int | None
    meetings_this_year: int
    rule_met: bool | None


class GovernanceOut(Schema):
    year: int
    meetings_held: int
    decisions: int
    bodies: list[BodyRuleOut]


class FunnelOut(Schema):
    submitted: int
    retained: int
    declined: int
    turned_into_projects: int


class ChangesOut(Schema):
    since: dt.date
    new_projects: int
    status_changes: int
    decisions: int


class DashboardOut(Schema):
    cooperation_id: int
    portfolio_url: str
    projects: ProjectsOut
    financing: DashboardFinancingOut
    indicators: IndicatorsOut
    governance: GovernanceOut
    funnel: FunnelOut
    changes: ChangesOut

    @staticmethod
    def resolve_cooperation_id(board) -> int:
        return board.cooperation.pk


@router.get(
    "/cooperations/{ref}/dashboard",
    auth=optional_user_auth,
    response={200: DashboardOut, **ERROR_RESPONSES},
    summary="Tableau de bord d’une coopération (projets, financements, gouvernance…)",
)
def dashboard(request: HttpRequest, ref: str, since: dt.date | None = None):
    cooperation = get_cooperation_for_user(request.user, ref)
    return selectors.dashboard(request.user, cooperation, since=since)


class OverviewLineOut(Schema):
    cooperation_id: int
    slug: str
    title: str
    kind: str
    projects: int
    engaged: int
    structuring: int
    late: int
    total_cost: float | None = Field(description="Null when no project's cost is known.")
    financing_secured: float
    bodies_with_rule: int
    bodies_meeting_rule: int
    meetings_this_year: int
    decisions_this_year: int

    @staticmethod
    def resolve_cooperation_id(line) -> int:
        return line.cooperation.pk

    @staticmethod
    def resolve_slug(line) -> str:
        return line.cooperation.slug

    @staticmethod
    def resolve_title(line) -> str:
        return line.cooperation.title

    @staticmethod
    def resolve_kind(line) -> str:
        return line.cooperation.kind


@router.get(
    "/dashboard/overview",
    auth=optional_user_auth,
    response={200: list[OverviewLineOut], **ERROR_RESPONSES},
    summary="Les coopérations côte à côte",
)
@paginate
def overview(request: HttpRequest, filters: Query[selectors.OverviewFilters]):
    cooperations = selectors.overview_cooperations(request.user, filters)
    return CompletedPages(cooperations, partial(selectors.overview, request.user))


class ReportIn(Schema):
    year: int
    format: ReportFormat = ReportFormat.PDF
    introduction: str = ""
    conclusion: str = ""


class ReportOut(Schema):
    id: int
    cooperation_id: int
    year: int
    format: str
    status: str
    progress: int
    step: str
    error: str
    seconds: float | None
    download_url: str | None
    annex_urls: list[str]

    @staticmethod
    def resolve_download_url(report, context) -> str | None:
        document = report.document
        return _document_url(context["request"], document) if document else None

    @staticmethod
    def resolve_annex_urls(report, context) -> list[str]:
        return [_document_url(context["request"], annex) for annex in report.annexes.all()]


def _document_url(request, document) -> str:
    return request.build_absolute_uri(
        reverse("cooperations:document", args=[document.cooperation.slug, document.pk])
    )


@router.post(
    "/cooperations/{ref}/reports",
    response={202: ReportOut, **ERROR_RESPONSES},
    summary="Demander le rapport annuel (coordination) ; suivre la tâche sur /reports/{id}",
)
def report_create(request: HttpRequest, ref: str, payload: ReportIn):
    cooperation = get_cooperation_for_user(request.user, ref)
    report = services.report_request(
        actor=authenticated_user(request), cooperation=cooperation, **payload.dict()
    )
    return Status(202, report)


@router.get(
    "/cooperations/{ref}/reports",
    response={200: list[ReportOut], **ERROR_RESPONSES},
    summary="Les rapports annuels d’une coopération (membres)",
)
@paginate
def report_list(request: HttpRequest, ref: str):
    user = authenticated_user(request)
    cooperation = get_cooperation_for_user(user, ref)
    if not is_member(user, cooperation):
        raise PermissionDenied
    return selectors.reports_of(cooperation)


@router.get("/reports/{report_id}", response={200: ReportOut, **ERROR_RESPONSES})
def report_detail(request: HttpRequest, report_id: int):
    """A report's state and, when done, where to download it (members of its cooperation)."""
    user = authenticated_user(request)
    report = (
        Report.objects.select_related("cooperation", "document__cooperation")
        .prefetch_related("annexes__cooperation")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_view(user, report.cooperation):
        raise Http404
    if not is_member(user, report.cooperation):
        raise PermissionDenied
    return report
