from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.cooperations.enums import CooperationKind
from maillage.cooperations.selectors import cooperation_list
from maillage.core.views import choice_param

PAGE_SIZE = 20


def home(request):
    kind = choice_param(request, "nature", CooperationKind)
    search = request.GET.get("q", "").strip()
    cooperations = cooperation_list(user=request.user, kind=kind, search=search)
    page = Paginator(cooperations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/home.html",
        {"page_obj": page, "kinds": CooperationKind.choices, "kind": kind, "search": search},
    )


def legal(request):
    return render(request, "portal/legal.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")
