from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.cooperations import permissions, selectors
from maillage.cooperations.enums import CooperationKind, Stage
from maillage.core import search as core_search
from maillage.core.views import list_filters
from maillage.portal import search as portal_search

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


def search(request):
    """One search box over everything the reader may read (core.search), by type and by
    cooperation, a page at a time."""
    form = portal_search.SearchForm(request.GET or None)
    results, page = None, None
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("q", "").strip():
        number = _page_number(request.GET.get("page"))
        results = core_search.search(
            request.user,
            data["q"],
            source=data["type"] or None,
            cooperation_id=data["cooperation"],
            offset=(number - 1) * portal_search.PAGE_SIZE,
            limit=portal_search.PAGE_SIZE,
        )
        counted: Any = _Counted(results.total, results.hits)
        paginator = Paginator(counted, portal_search.PAGE_SIZE)
        page = paginator.get_page(number)
        if page.number != number:  # beyond the last page: the last one
            results = core_search.search(
                request.user,
                data["q"],
                source=data["type"] or None,
                cooperation_id=data["cooperation"],
                offset=(page.number - 1) * portal_search.PAGE_SIZE,
                limit=portal_search.PAGE_SIZE,
            )
        page.object_list = results.hits
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "results": results,
            "page_obj": page,
            "cooperations": portal_search.named_cooperations(results.by_cooperation)
            if results
            else [],
            "chosen_type": data.get("type", ""),
        },
    )


def _page_number(text: str | None) -> int:
    number = int(text) if text and text.isdigit() else 1
    return max(1, min(number, portal_search.MAX_OFFSET // portal_search.PAGE_SIZE))


class _Counted:
    """A page of hits the paginator counts as the whole (its total is already known)."""

    def __init__(self, total: int, hits: list):
        self.total, self.hits = total, hits

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.hits
