from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.core.panels import render_panels
from maillage.core.views import add_service_errors, history_page, list_filters
from maillage.directory import permissions, selectors, services
from maillage.directory.enums import OrganisationKind
from maillage.directory.forms import OrganisationForm, PersonForm, PositionForm
from maillage.directory.models import Position
from maillage.directory.permissions import get_organisation_for_user, get_person_for_user

PAGE_SIZE = 30


def organisation_list(request):
    filters = list_filters(request, selectors.OrganisationFilters)
    page = Paginator(selectors.organisation_list(filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/organisation_list.html",
        {
            "page_obj": page,
            "kinds": OrganisationKind.choices,
            "kind": filters.kind,
            "search": filters.search,
            "can_manage": permissions.can_manage_directory(request.user),
        },
    )


def organisation_detail(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk)
    can_see_people = permissions.can_see_people(request.user)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "positions": selectors.organisation_positions(organisation) if can_see_people else None,
            "can_manage": permissions.can_manage_directory(request.user),
            "panels": render_panels("directory.organisation", request, organisation),
        },
    )


def _organisation_form(request, organisation=None):
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        data["territory"] = form.cleaned_data["territory_code"]
        confirm = form.cleaned_data["confirm_duplicate"]
        try:
            if organisation is None:
                organisation = services.organisation_create(
                    actor=request.user, confirm_duplicate=confirm, **data
                )
            else:
                services.organisation_update(
                    actor=request.user, organisation=organisation, confirm_duplicate=confirm, **data
                )
        except services.LikelyDuplicate as duplicate:
            add_service_errors(form, duplicate)
            return render(
                request,
                "directory/organisation_form.html",
                {"form": form, "organisation": organisation, "duplicates": duplicate.duplicates},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La structure est enregistrée."))
            return redirect(organisation)
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_create(request):
    if not permissions.can_manage_directory(request.user):
        raise PermissionDenied
    return _organisation_form(request)


@login_required
def organisation_update(request, pk: int):
    return _organisation_form(request, get_organisation_for_user(request.user, pk, edit=True))


def organisation_history(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk)
    return history_page(
        request, organisation, allowed=permissions.can_manage_directory(request.user)
    )


@login_required
def person_history(request, pk: int):
    person = get_person_for_user(request.user, pk)
    return history_page(request, person, allowed=permissions.can_manage_directory(request.user))


@login_required
def person_list(request):
    if not permissions.can_see_people(request.user):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.person_list(request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/person_list.html",
        {
            "page_obj": page,
            "search": search,
            "can_manage": permissions.can_manage_directory(request.user),
        },
    )


@login_required
def person_detail(request, pk: int):
    person = get_person_for_user(request.user, pk)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "contact_shown": permissions.can_see_contact(request.user, person),
            "positions": person.positions.select_related("organisation"),
            "can_edit": permissions.can_edit_person(request.user, person),
            "can_manage": permissions.can_manage_directory(request.user),
            "can_erase": permissions.can_erase_people(request.user),
            "position_form": PositionForm(),
        },
    )


def _person_form(request, person=None):
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if person is None:
                person = services.person_create(actor=request.user, **data)
            else:
                services.person_update(actor=request.user, person=person, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La fiche est enregistrée."))
            return redirect(person)
    return render(request, "directory/person_form.html", {"form": form, "person": person})


@login_required
def person_create(request):
    if not permissions.can_manage_directory(request.user):
        raise PermissionDenied
    return _person_form(request)


@login_required
def person_update(request, pk: int):
    return _person_form(request, get_person_for_user(request.user, pk, edit=True))


@login_required
def position_add(request, pk: int):
    person = get_person_for_user(request.user, pk)
    if not permissions.can_manage_directory(request.user) or request.method != "POST":
        raise PermissionDenied
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            services.position_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La fonction est ajoutée."))
            return redirect(person)
    return render(request, "directory/position_form.html", {"form": form, "person": person})


@login_required
def position_remove(request, pk: int):
    position = get_object_or_404(Position.objects.select_related("person", "organisation"), pk=pk)
    get_person_for_user(request.user, position.person_id)
    if not permissions.can_manage_directory(request.user):
        raise PermissionDenied
    if request.method == "POST":
        person = position.person
        services.position_remove(actor=request.user, position=position)
        messages.success(request, _("La fonction est retirée."))
        return redirect(person)
    return render(request, "directory/position_remove.html", {"position": position})


@login_required
def person_export(request, pk: int):
    person = get_person_for_user(request.user, pk)
    if not permissions.can_erase_people(request.user):
        raise PermissionDenied
    response = HttpResponse(
        services.person_export(actor=request.user, person=person), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="personne-{person.pk}.json"'
    return response


@login_required
def person_erase(request, pk: int):
    person = get_person_for_user(request.user, pk)
    if not permissions.can_erase_people(request.user):
        raise PermissionDenied
    if person.erased_at is not None:
        raise Http404
    if request.method == "POST":
        services.person_erase(actor=request.user, person=person)
        messages.success(request, _("Les données personnelles sont effacées."))
        return redirect("directory:person_list")
    return render(request, "directory/person_erase.html", {"person": person})
