"""The dashboards: one cooperation's, and the overview of several side by side."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.cooperations.enums import CooperationKind
from maillage.cooperations.permissions import can_edit, get_cooperation_for_user, is_member
from maillage.cooperations.selectors import filter_choices
from maillage.core.enums import TaskStatus
from maillage.core.views import add_service_errors, list_filters
from maillage.core.worker import worker_alive
from maillage.reports import selectors, services
from maillage.reports.charts import dashboard_charts
from maillage.reports.forms import ReportForm

WORKING = (TaskStatus.QUEUED, TaskStatus.RUNNING)


def since_param(value: str) -> dt.date | None:
    """The "what changed since" date of the query string (ISO), or None."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def dashboard(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    since = since_param(request.GET.get("depuis", ""))
    board = selectors.dashboard(request.user, cooperation, since=since)
    return render(
        request,
        "reports/dashboard.html",
        {
            "cooperation": cooperation,
            "board": board,
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            # Drawn when the page draws them: not when its cached rendering serves.
            "charts": lambda: dashboard_charts(board),
            "late_query": board.portfolio_link(health="late"),
            "blocked_query": board.portfolio_link(health="blocked"),
            "structuring_query": board.portfolio_link(structuring=True),
        },
    )


def overview(request):
    """The cooperations side by side; a signed-in member sees theirs unless they ask for all
    they may see."""
    filters = list_filters(request, selectors.OverviewFilters)
    cooperations = selectors.overview_cooperations(request.user, filters)
    mine = selectors.overview_scope_is_mine(request.user, filters)
    page = Paginator(cooperations, selectors.OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    territories, _organisations = filter_choices()
    return render(
        request,
        "reports/overview.html",
        {
            "page_obj": page,
            "lines": selectors.overview(request.user, list(page.object_list)),
            "kinds": CooperationKind.choices,
            "filters": filters,
            "territories": territories,
            "scope": "miennes" if mine else "toutes",
            "year": timezone.localdate().year,
        },
    )


def reports(request, slug: str):
    """The yearly reports of a cooperation (members), and the request form (coordinators);
    while one is being produced, htmx refreshes the list every two seconds."""
    cooperation = get_cooperation_for_user(request.user, slug)
    if not is_member(request.user, cooperation):
        raise PermissionDenied
    can_request = can_edit(request.user, cooperation)
    form = ReportForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.report_request(
                    actor=request.user, cooperation=cooperation, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Le rapport est en préparation : il apparaît ci-dessous.")
                )
                return redirect("reports:reports", slug=slug)
    listed = list(selectors.reports_of(cooperation)[:30])
    context = {
        "cooperation": cooperation,
        "reports": listed,
        "working": any(report.status in WORKING for report in listed),
        "worker_alive": worker_alive(),
        "form": form if can_request else None,
    }
    if request.htmx:
        return render(request, "reports/includes/report_list.html", context)
    return render(request, "reports/reports.html", context)
