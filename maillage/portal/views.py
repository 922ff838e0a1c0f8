from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.cooperations import permissions
from maillage.cooperations.enums import CooperationKind, Stage
from maillage.cooperations.views import filtered_cooperations

PAGE_SIZE = 20


def home(request):
    """The cooperations list: filters by kind, stage, territory and party, and a search."""
    cooperations, filters = filtered_cooperations(request)
    page = Paginator(cooperations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/home.html",
        {
            "page_obj": page,
            "kinds": CooperationKind.choices,
            "stages": Stage.choices,
            "filtered": any(
                filters[name] for name in ("kind", "stage", "territory", "party", "search")
            ),
            "can_create": permissions.can_create(request.user),
            **filters,
        },
    )


def legal(request):
    return render(request, "portal/legal.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")
