"""The dashboards: one cooperation's, and the overview of several side by side."""

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.cooperations.enums import CooperationKind
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import filter_choices
from maillage.reports import selectors
from maillage.reports.charts import Chart, bar_chart


def since_param(value: str) -> dt.date | None:
    """The "what changed since" date of the query string (ISO), or None."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def dashboard_charts(board: selectors.Dashboard) -> list[Chart]:
    """The dashboard's charts, the same on the page and in the report."""
    projects, money = board.projects, board.financing
    return [
        bar_chart(
            "par-statut",
            _("Projets par statut"),
            projects.by_status,
            column=_("Projets"),
            link=board.link,
        ),
        bar_chart(
            "par-axe",
            _("Projets par axe de la stratégie"),
            projects.by_axis,
            column=_("Projets"),
            link=board.link,
        ),
        bar_chart(
            "par-thematique",
            _("Projets par thématique"),
            projects.by_theme,
            column=_("Projets"),
            link=board.link,
        ),
        bar_chart(
            "par-territoire",
            _("Projets par territoire"),
            projects.by_territory,
            column=_("Projets"),
            link=board.link,
        ),
        bar_chart(
            "par-porteur",
            _("Projets par porteur"),
            projects.by_owner,
            column=_("Projets"),
            link=board.link,
        ),
        bar_chart(
            "financement-statut",
            _("Financements par étape (en euros)"),
            money.by_status,
            unit="€",
            column=_("Montant"),
        ),
        bar_chart(
            "financement-financeur",
            _("Financements par financeur (en euros)"),
            money.by_funder,
            unit="€",
            column=_("Montant"),
            link=board.link,
        ),
        bar_chart(
            "financement-dispositif",
            _("Financements par dispositif (en euros)"),
            money.by_programme,
            unit="€",
            column=_("Montant"),
            link=board.link,
        ),
    ]


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
            "charts": dashboard_charts(board),
            "late_query": f"{board.portfolio_url}?sante=late",
            "blocked_query": f"{board.portfolio_url}?sante=bloque",
            "structuring_query": f"{board.portfolio_url}?structurant=oui",
        },
    )


def overview(request):
    """The cooperations side by side; a signed-in member sees theirs unless they ask for all
    they may see."""
    query = request.GET
    territory = query.get("territoire", "")
    scope = query.get("perimetre", "")
    if scope not in ("miennes", "toutes"):
        member = request.user.is_authenticated and request.user.memberships.exists()
        scope = "miennes" if member and not request.user.is_staff else "toutes"
    cooperations = selectors.overview_cooperations(
        request.user,
        kind=query.get("nature", ""),
        territory=int(territory) if territory.isdigit() else None,
        mine=scope == "miennes",
    )
    page = Paginator(cooperations, selectors.OVERVIEW_PAGE_SIZE).get_page(query.get("page"))
    territories, _organisations = filter_choices()
    return render(
        request,
        "reports/overview.html",
        {
            "page_obj": page,
            "lines": selectors.overview(request.user, list(page.object_list)),
            "kinds": CooperationKind.choices,
            "kind": query.get("nature", ""),
            "territories": territories,
            "territory": territory,
            "scope": scope,
            "year": timezone.localdate().year,
        },
    )
