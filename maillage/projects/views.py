"""The portfolio of a cooperation and its projects' pages."""

import os
import secrets
from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillage.accounts.api import accepts_api_token
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.models import Cooperation
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.figures import generation
from maillage.core.history import DeletedItem
from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.core.views import (
    add_service_errors,
    confirm_page,
    file_download,
    form_page,
    history_page,
    list_filters,
    safe_next,
)
from maillage.core.worker import worker_alive
from maillage.projects import forms, imports, permissions, selectors, services
from maillage.projects.enums import Currency, FinancingStatus, ProjectStatus, counted_status
from maillage.projects.models import (
    FinancingLine,
    Indicator,
    PlanImport,
    ProjectDocument,
    ProjectStep,
)
from maillage.projects.permissions import get_project_for_user
from maillage.projects.spreadsheet import (
    counts_for_people,
    export_rows,
    template_header,
)

PAGE_SIZE = 100


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def portfolio(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    filters = list_filters(request, selectors.PortfolioFilters)
    rates = selectors.rates_on(timezone.localdate())
    counts = selectors.portfolio_counts(request.user, cooperation, filters)
    rows = selectors.PortfolioRows(
        request.user,
        cooperation,
        filters,
        rates=rates,
        # The figures above the table count the rows already.
        count=counts.by_status[filters.status] if filters.status else counts.total,
    )
    # PortfolioRows is sliced and counted as a sequence is.
    page = Paginator(cast(Sequence[dict[str, Any]], rows), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_computed_fields(page.object_list)
    can_manage = permissions.can_manage(request.user, cooperation)
    status_counts = []
    for value in ProjectStatus.values:
        query = request.GET.copy()
        query.pop("page", None)
        query["statut"] = value
        count = counts.by_status[value]
        status_counts.append((counted_status(value, count), count, query.urlencode()))
    return render(
        request,
        "projects/portfolio.html",
        {
            "cooperation": cooperation,
            "page_obj": page,
            "counts": counts,
            "status_counts": status_counts,
            "export_query": _without_page(request.GET),
            "filters": filters,
            "statuses": ProjectStatus.choices,
            "financing_statuses": FinancingStatus.choices,
            **selectors.filter_choices(cooperation),
            "can_manage": can_manage,
            "rates": [rate for code, rate in sorted(rates.items()) if code != Currency.EUR],
            "missing_rates": sorted(set(Currency.values) - {Currency.EUR, *rates}),
            "bulk_form": forms.BulkStatusForm(cooperation=cooperation) if can_manage else None,
            # The rendered rows are kept beside the rows in the cache (a hundred rows: the
            # page's costliest part to render).
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "rows_key": f"{rows.page_key}:{generation()}",
            # The filters' form: its options (the data's) and the values asked.
            "filters_key": f"{cooperation.pk}:{generation()}:{request.GET.urlencode()}",
        },
    )


@login_required
@require_POST
def bulk_status(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_manage(request.user, cooperation):
        raise PermissionDenied
    form = forms.BulkStatusForm(request.POST, cooperation=cooperation)
    if form.is_valid():
        count = services.project_bulk_status(
            actor=request.user,
            cooperation=cooperation,
            projects=form.cleaned_data["projects"],
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            on=form.cleaned_data["on"],
        )
        messages.success(
            request,
            ngettext(
                "%(count)s projet change de statut.", "%(count)s projets changent de statut.", count
            )
            % {"count": count},
        )
    else:
        messages.error(request, _("Cochez au moins un projet et choisissez un statut."))
    return redirect(safe_next(request, reverse("projects:portfolio", args=[slug])))


def detail(request, slug: str, code: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code)
    can_see_people = cooperation_permissions.can_see_people(request.user, cooperation)
    indicators = list(project.indicators.prefetch_related("values"))
    progress = []
    for indicator in indicators:
        values = list(indicator.values.all())
        progress.append((indicator, values, selectors.indicator_progress(indicator, values)))
    return render(
        request,
        "projects/detail.html",
        {
            "cooperation": cooperation,
            "project": project,
            "plan": selectors.financing_plan(project),
            "indicators": progress,
            "steps": project.steps.all(),
            "documents": project.documents.all(),
            "journal": project.journal.select_related("author")[:50],
            "partners": project.partners.order_by("search_name"),
            "territories": project.territories.order_by("name"),
            "nodes": project.strategy_nodes.order_by("code"),
            "themes": project.themes.all(),
            "contacts": project.contacts.all() if can_see_people else [],
            "can_see_people": can_see_people,
            "can_edit": permissions.can_edit(request.user, project),
            "can_manage": permissions.can_manage(request.user, cooperation),
            "status_form": forms.StatusForm(initial={"status": project.status}),
            "note_form": forms.NoteForm(),
        },
    )


def _project_form(request, cooperation: Cooperation, project=None):
    form = forms.ProjectForm(
        request.POST or None,
        instance=type(project).objects.get(pk=project.pk) if project else None,
        cooperation=cooperation,
        user=request.user,
    )

    def save(data):
        values = form.data_for_service()
        if project is None:
            return services.project_create(
                actor=request.user,
                cooperation=cooperation,
                code=form.cleaned_data["code"],
                **values,
            )
        return services.project_update(actor=request.user, project=project, **values)

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier le projet") if project else _("Nouveau projet"),
        back=project.get_absolute_url()
        if project
        else reverse("projects:portfolio", args=[cooperation.slug]),
        success=_("Le projet est enregistré."),
    )


@login_required
def create(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_manage(request.user, cooperation):
        raise PermissionDenied
    return _project_form(request, cooperation)


@login_required
def update(request, slug: str, code: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code, edit=True)
    return _project_form(request, cooperation, project)


@login_required
def delete(request, slug: str, code: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code)
    if not permissions.can_manage(request.user, cooperation):
        raise PermissionDenied
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer le projet %(project)s ?") % {"project": project},
        explanation=_(
            "Son plan de financement, ses étapes et ses indicateurs partent avec lui ; "
            "l’historique permet de le rétablir."
        ),
        action=lambda: services.project_delete(actor=request.user, project=project),
        back=project.get_absolute_url(),
        done=reverse("projects:portfolio", args=[slug]),
        success=_("Le projet est supprimé."),
    )


@login_required
@require_POST
def status(request, slug: str, code: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code, edit=True)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        services.project_status_set(
            actor=request.user,
            project=project,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            on=form.cleaned_data["on"],
        )
        messages.success(request, _("Le statut est enregistré."))
    else:
        messages.error(request, _("Choisissez un statut valide."))
    return redirect(project)


@login_required
@require_POST
def note(request, slug: str, code: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code, edit=True)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.journal_note_add(
                actor=request.user,
                project=project,
                text=form.cleaned_data["text"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        messages.error(request, _("La note est vide."))
    else:
        messages.success(request, _("La note est ajoutée au journal."))
    return redirect(project)


def history(request, slug: str, code: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code)
    return history_page(request, project, allowed=permissions.can_edit(request.user, project))


# Steps, financing lines and indicators: the same add / edit / delete pages -------------------

PARTS = {
    "etapes": (ProjectStep, forms.StepForm, "step"),
    "financements": (FinancingLine, forms.FinancingForm, "financing"),
    "indicateurs": (Indicator, forms.IndicatorForm, "indicator"),
    "documents": (ProjectDocument, forms.DocumentForm, "document"),
}
PART_TITLES = {
    "etapes": (_("Ajouter une étape"), _("Modifier l’étape")),
    "financements": (_("Ajouter une ligne de financement"), _("Modifier la ligne de financement")),
    "indicateurs": (_("Ajouter un indicateur"), _("Modifier l’indicateur")),
    "documents": (_("Joindre un document"), ""),
}


def _part(kind: str):
    if kind not in PARTS:
        raise Http404
    return PARTS[kind]


@login_required
def part_form(request, slug: str, code: str, kind: str, pk: int | None = None):
    model, form_class, service = _part(kind)
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code, edit=True)
    if pk and not hasattr(services, f"{service}_update"):
        raise Http404  # documents are replaced, not edited
    part = get_object_or_404(model, pk=pk, project=project) if pk else None
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=model.objects.get(pk=pk) if pk else None,
    )
    add_title, edit_title = PART_TITLES[kind]

    def save(data):
        if part is None:
            getattr(services, f"{service}_add")(actor=request.user, project=project, **data)
        else:
            getattr(services, f"{service}_update")(
                actor=request.user, **{"line" if service == "financing" else service: part}, **data
            )
        return project

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=edit_title if part else add_title,
        back=project.get_absolute_url(),
        success=_("C’est enregistré."),
    )


@login_required
def part_delete(request, slug: str, code: str, kind: str, pk: int):
    model, _form_class, service = _part(kind)
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code, edit=True)
    part = get_object_or_404(model, pk=pk, project=project)
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer « %(part)s » ?") % {"part": part},
        explanation=_("La suppression figure dans l’historique du projet."),
        action=lambda: getattr(services, f"{service}_delete")(
            actor=request.user, **{"line" if service == "financing" else service: part}
        ),
        back=project.get_absolute_url(),
        done=project.get_absolute_url(),
        success=_("C’est supprimé."),
    )


@login_required
def indicator_value(request, slug: str, code: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code, edit=True)
    indicator = get_object_or_404(Indicator, pk=pk, project=project)
    form = forms.IndicatorValueForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: (
            services.indicator_value_add(actor=request.user, indicator=indicator, **data)
            and project
        ),
        cooperation=cooperation,
        title=_("Nouvelle valeur de « %(indicator)s »") % {"indicator": indicator},
        back=project.get_absolute_url(),
        success=_("La valeur est enregistrée."),
    )


# Spreadsheet round trip -------------------------------------------------------------------

IMPORT_MAX_MEGABYTES = 10
IMPORT_EXTENSIONS = (".csv", ".xlsx", ".ods")


def export(request, slug: str):
    """The portfolio as the current filters show it, in the import's columns: whoever sees
    the portfolio may take it away."""
    cooperation = get_cooperation_for_user(request.user, slug)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in {choice.value for choice in SpreadsheetFormat}:
        fmt = "xlsx"
    projects = selectors.portfolio(
        request.user, cooperation, list_filters(request, selectors.PortfolioFilters)
    )
    header, rows = export_rows(projects)
    return spreadsheet_response(
        SpreadsheetFormat(fmt), f"plan-actions-{cooperation.slug}", header, rows
    )


def import_template(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    example = [
        "001",
        _("Voie verte entre les deux territoires"),
        "",
        "",
        _("Programmé"),
        "242900314",
        "",
        "epci:242900314",
        "",
        "",
        "2025-01-01",
        "31/12/2027",
        "1 250 000,00",
        "EUR",
        _("oui"),
        "Région Bretagne",
        "FEDER",
        "500 000",
        _("Demandé"),
        "EUR",
    ]
    example += [""] * (len(template_header()) - len(example))
    return spreadsheet_response(
        SpreadsheetFormat.XLSX,
        f"modele-plan-actions-{cooperation.slug}",
        template_header(),
        [example],
    )


def _pending_path(request, cooperation: Cooperation, token: str, name: str) -> str:
    return f"imports/{cooperation.pk}/{request.user.pk}/{token}/{name}"


@login_required
def import_plan(request, slug: str):
    """Upload: the file is stored and its check queued for the task worker (see
    projects/imports.py); the check's page follows."""
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_manage(request.user, cooperation):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = default_storage.save(
            _pending_path(
                request, cooperation, secrets.token_hex(8), os.path.basename(upload.name)
            ),
            upload,
        )
        # The check lists the organisations the import would create; the confirmation asks.
        plan_import = imports.plan_import_request(
            actor=request.user, cooperation=cooperation, path=path, create_organisations=True
        )
        return redirect("projects:import_run", slug, plan_import.pk)
    return render(request, "projects/import.html", {"cooperation": cooperation, "form": form})


@login_required
def import_run(request, slug: str, pk: int):
    """A check or an import under way (refreshed by htmx until it ends), then its report;
    a clean check offers to confirm (the same file, written by the worker)."""
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_manage(request.user, cooperation):
        raise PermissionDenied
    plan_import = get_object_or_404(
        PlanImport, pk=pk, cooperation=cooperation, requested_by=request.user
    )
    if request.method == "POST":
        try:
            confirmed = imports.plan_import_confirm(
                actor=request.user,
                checked=plan_import,
                create_organisations=request.POST.get("create_organisations") == "on",
            )
        except PermissionDenied:
            messages.error(
                request, _("Ce fichier ne peut plus être importé : envoyez-le à nouveau.")
            )
            return redirect("projects:import", slug)
        except ValidationError as error:  # the check and its file stay: tick, then confirm
            for message in error.messages:
                messages.error(request, message)
            return redirect("projects:import_run", slug, plan_import.pk)
        return redirect("projects:import_run", slug, confirmed.pk)
    context = {
        "cooperation": cooperation,
        "plan_import": plan_import,
        "counts": counts_for_people(plan_import.counts, future=plan_import.dry_run),
        "worker_alive": worker_alive(),
        "form": forms.ImportForm(),
    }
    if request.htmx:
        return render(request, "projects/includes/import_run.html", context)
    return render(request, "projects/import.html", context)


@login_required
def deleted(request, slug: str):
    """The cooperation's deleted projects, each restorable whole (coordinators)."""
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    return render(
        request,
        "projects/deleted.html",
        {
            "cooperation": cooperation,
            "items": [
                DeletedItem(_("Projet"), version)
                for version in selectors.deleted_projects(cooperation)
            ],
        },
    )


@login_required
def restore(request, slug: str, version_id: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    version = selectors.deleted_project(cooperation, version_id)
    if version is None:
        raise Http404
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Restaurer le projet « %(title)s » ?") % {"title": version.object_repr},
        explanation=_(
            "Il revient tel qu’il était supprimé : financements, étapes, indicateurs et leurs "
            "valeurs, documents, journal, et les décisions qui le nomment."
        ),
        action=lambda: services.project_restore(
            actor=request.user, cooperation=cooperation, version=version
        ),
        back=reverse("projects:deleted", args=[slug]),
        done=reverse("projects:portfolio", args=[slug]),
        success=_("Le projet est restauré."),
    )


@accepts_api_token
def document_download(request, slug: str, code: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    project = get_project_for_user(request.user, cooperation, code)
    return file_download(get_object_or_404(ProjectDocument, pk=pk, project=project).file)
