from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maillage.core.panels import render_panels
from maillage.core.views import add_service_errors, history_page, list_filters
from maillage.territories import permissions, selectors, services
from maillage.territories.enums import TerritoryKind
from maillage.territories.forms import AreaForm
from maillage.territories.models import populations_of
from maillage.territories.permissions import get_territory_for_user

PAGE_SIZE = 50


def territory_list(request):
    filters = list_filters(request, selectors.TerritoryFilters)
    territories = selectors.territory_list(filters)
    page = Paginator(territories, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_populations(page.object_list)
    return render(
        request,
        "territories/list.html",
        {
            "page_obj": page,
            "kinds": TerritoryKind.choices,
            "kind": filters.kind,
            "search": filters.search,
            "can_compose": permissions.can_compose_areas(request.user),
        },
    )


def territory_suggestions(request):
    """Up to 10 names for the search box's autocomplete (a datalist's options)."""
    search = request.GET.get("q", "").strip()
    territories = (
        selectors.territory_list(selectors.TerritoryFilters(search=search))[:10]
        if len(search) >= 2
        else []
    )
    return render(request, "territories/suggestions.html", {"territories": territories})


def territory_detail(request, pk: int):
    territory = get_territory_for_user(request.user, pk)
    members = Paginator(selectors.members_of(territory), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    populations = populations_of(members.object_list)
    return render(
        request,
        "territories/detail.html",
        {
            "territory": territory,
            "parents": selectors.parents_of(territory),
            "page_obj": members,
            "members": [(member, populations[member.pk]) for member in members.object_list],
            "aggregate_population": territory.aggregate_population(),
            "can_edit": permissions.can_edit_area(request.user, territory),
            "panels": render_panels("territories.territory", request, territory),
        },
    )


def _area_form(request, area=None):
    initial = {}
    if area is not None:
        initial = {
            "name": area.name,
            "kind": area.kind,
            "description": area.description,
            "members": "\n".join(
                f"{m.kind}:{m.code}" if m.code else "" for m in selectors.members_of(area)
            ),
        }
    form = AreaForm(request.POST or None, initial=initial)
    if area is not None:
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if area is None:
                area = services.area_create(
                    actor=request.user,
                    kind=data["kind"],
                    name=data["name"],
                    description=data["description"],
                    members=data["members"],
                )
                messages.success(request, _("Le périmètre est créé."))
            else:
                services.area_update(
                    actor=request.user,
                    area=area,
                    name=data["name"],
                    description=data["description"],
                    members=data["members"],
                )
                messages.success(request, _("Le périmètre est enregistré."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(area)
    return render(request, "territories/area_form.html", {"form": form, "area": area})


def territory_history(request, pk: int):
    territory = get_territory_for_user(request.user, pk)
    return history_page(
        request, territory, allowed=permissions.can_edit_area(request.user, territory)
    )


@login_required
def area_create(request):
    if not permissions.can_compose_areas(request.user):
        raise PermissionDenied
    return _area_form(request)


@login_required
def area_update(request, pk: int):
    return _area_form(request, get_territory_for_user(request.user, pk, edit=True))
