from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.cooperations import permissions, selectors
from maillage.cooperations.enums import CooperationKind, Stage
from maillage.core.views import list_filters

PAGE_SIZE = 20


def home(request):
    """The cooperations list: filters by kind, stage, territory and party, and a search."""
    filters = list_filters(request, selectors.CooperationFilters)
    cooperations = selectors.cooperation_list(user=request.user, filters=filters)
    page = Paginator(cooperations, PAGE_SIZE).get_page(request.GET.get("page"))
    territories, organisations = selectors.filter_choices()
    return render(
        request,
        "portal/home.html",
        {
            "page_obj": page,
            "kinds": CooperationKind.choices,
            "stages": Stage.choices,
            "territories": territories,
            "organisations": organisations,
            "filters": filters,
            "filtered": filters.active(),
            "can_create": permissions.can_create(request.user),
            "signed_in": request.user.is_authenticated,
        },
    )


def legal(request):
    return render(request, "portal/legal.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")
