"""The pages of a cooperation's mutualisation conventions: the list, a convention (parties,
amendments, shared items, years), a year (costs, keys, the allocation table and its chart,
advances, closing), the entry of declared uses, and each party's statement with its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.forms import AttachedDocumentForm
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import documents_of
from maillage.core.templatetags.amounts import cents
from maillage.core.views import confirm_page, form_page, history_page
from maillage.mutualisation import documents, forms, permissions, selectors, services
from maillage.mutualisation.models import AllocationYear, Convention
from maillage.mutualisation.services import DeclaredUnits


def _convention(request, slug: str, pk: int, *, edit: bool = False) -> Convention:
    convention = permissions.get_convention_for_user(request.user, pk, edit=edit)
    if convention.cooperation.slug != slug:
        raise Http404
    return convention


def _year(request, slug: str, pk: int, year: int, *, edit: bool = False) -> AllocationYear:
    convention = _convention(request, slug, pk, edit=edit)
    allocation_year = convention.years.filter(year=year).first()
    if allocation_year is None:
        raise Http404
    allocation_year.convention = convention
    return allocation_year


def conventions(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return render(
        request,
        "mutualisation/conventions.html",
        {
            "cooperation": cooperation,
            "conventions": selectors.conventions_of(cooperation, request.user),
            "can_edit": cooperation_permissions.can_edit(request.user, cooperation),
        },
    )


@login_required
def convention_form(request, slug: str, pk: int | None = None):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    convention = _convention(request, slug, pk, edit=True) if pk else None
    form = forms.ConventionForm(request.POST or None, instance=convention, cooperation=cooperation)

    def save(data):
        if convention is None:
            return services.convention_create(
                actor=request.user, cooperation=cooperation, **data
            ).get_absolute_url()
        services.convention_update(actor=request.user, convention=convention, **data)
        return convention.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier la convention") if convention else _("Nouvelle convention"),
        back=convention.get_absolute_url()
        if convention
        else reverse("mutualisation:conventions", args=[slug]),
        success=_("La convention est enregistrée."),
    )


@login_required
def convention_delete(request, slug: str, pk: int):
    convention = _convention(request, slug, pk, edit=True)
    return confirm_page(
        request,
        cooperation=convention.cooperation,
        title=_("Supprimer « %(title)s » ?") % {"title": convention.title},
        explanation=_(
            "La convention, ses parties, ses éléments mutualisés et ses exercices seront "
            "supprimés. Une convention qui a émis des décomptes ne peut plus l’être."
        ),
        action=lambda: services.convention_delete(actor=request.user, convention=convention),
        back=convention.get_absolute_url(),
        done=reverse("mutualisation:conventions", args=[slug]),
        success=_("La convention est supprimée."),
    )


def convention(request, slug: str, pk: int):
    convention = _convention(request, slug, pk)
    user = request.user
    return render(
        request,
        "mutualisation/convention.html",
        {
            "cooperation": convention.cooperation,
            "convention": convention,
            "parties": selectors.parties_of(convention),
            "items": selectors.with_sharing(selectors.items_of(convention), convention),
            "years": selectors.years_of(convention),
            "amendments": convention.amendments.all(),
            "documents": documents_of(convention.cooperation, user).filter(conventions=convention),
            "can_edit": permissions.can_edit(user, convention),
            "can_see_people": cooperation_permissions.can_see_people(user, convention.cooperation),
            "year_form": forms.YearForm(),
        },
    )


def convention_history(request, slug: str, pk: int):
    convention = _convention(request, slug, pk)
    return history_page(request, convention, allowed=permissions.can_edit(request.user, convention))


@login_required
def party_add(request, slug: str, pk: int):
    convention = _convention(request, slug, pk, edit=True)
    form = forms.ConventionPartyForm(request.POST or None, convention=convention)
    return form_page(
        request,
        form,
        lambda data: services.convention_party_add(
            actor=request.user, convention=convention, **data
        ).convention.get_absolute_url(),
        cooperation=convention.cooperation,
        title=_("Ajouter une partie à « %(title)s »") % {"title": convention.title},
        back=convention.get_absolute_url(),
        success=_("La partie est ajoutée."),
    )


@login_required
def party_update(request, slug: str, pk: int, member_pk: int):
    convention = _convention(request, slug, pk, edit=True)
    member = permissions.get_party_of(convention, member_pk)
    form = forms.FinanceContactForm(
        request.POST or None,
        convention=convention,
        initial={"finance_contact": member.finance_contact_id},
    )
    return form_page(
        request,
        form,
        lambda data: services.convention_party_update(
            actor=request.user, member=member, **data
        ).convention.get_absolute_url(),
        cooperation=convention.cooperation,
        title=_("Référent financier de %(name)s") % {"name": member},
        back=convention.get_absolute_url(),
        success=_("Le référent financier est enregistré."),
    )


@login_required
def party_remove(request, slug: str, pk: int, member_pk: int):
    convention = _convention(request, slug, pk, edit=True)
    member = permissions.get_party_of(convention, member_pk)
    return confirm_page(
        request,
        cooperation=convention.cooperation,
        title=_("Retirer %(name)s de la convention ?") % {"name": member},
        explanation=_(
            "Ses valeurs de clé, ses usages et ses acomptes des exercices ouverts seront "
            "supprimés. Une partie qui met un élément à disposition ou a reçu un décompte reste."
        ),
        action=lambda: services.convention_party_remove(actor=request.user, member=member),
        back=convention.get_absolute_url(),
        done=convention.get_absolute_url(),
        success=_("La partie est retirée."),
    )


@login_required
def amendment_add(request, slug: str, pk: int):
    convention = _convention(request, slug, pk, edit=True)
    form = forms.AmendmentForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.amendment_add(
            actor=request.user, convention=convention, **data
        ).convention.get_absolute_url(),
        cooperation=convention.cooperation,
        title=_("Nouvel avenant à « %(title)s »") % {"title": convention.title},
        back=convention.get_absolute_url(),
        success=_("L’avenant est enregistré."),
    )


@login_required
def document_add(request, slug: str, pk: int):
    convention = _convention(request, slug, pk, edit=True)
    cooperation = convention.cooperation
    form = AttachedDocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"visibility": convention.visibility, "kind": DocumentKind.AGREEMENT},
        cooperation=cooperation,
    )
    return form_page(
        request,
        form,
        lambda data: (
            services.convention_document_add(actor=request.user, convention=convention, **data)
            and convention.get_absolute_url()
        ),
        cooperation=cooperation,
        title=_("Joindre un document à « %(title)s »") % {"title": convention.title},
        back=convention.get_absolute_url(),
        success=_("Le document est joint à la convention."),
    )


@login_required
def item_form(request, slug: str, pk: int, item_pk: int | None = None):
    convention = _convention(request, slug, pk, edit=True)
    item = convention.items.filter(pk=item_pk).first() if item_pk else None
    if item_pk and item is None:
        raise Http404
    form = forms.ItemForm(request.POST or None, instance=item, convention=convention)

    def save(data):
        if item is None:
            services.item_create(actor=request.user, convention=convention, **data)
        else:
            services.item_update(actor=request.user, item=item, **data)
        return convention.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=convention.cooperation,
        title=_("Modifier « %(name)s »") % {"name": item.name}
        if item
        else _("Nouvel élément mutualisé"),
        back=convention.get_absolute_url(),
        success=_("L’élément mutualisé est enregistré."),
    )


@login_required
def item_delete(request, slug: str, pk: int, item_pk: int):
    convention = _convention(request, slug, pk, edit=True)
    item = convention.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return confirm_page(
        request,
        cooperation=convention.cooperation,
        title=_("Supprimer « %(name)s » ?") % {"name": item.name},
        explanation=_(
            "Ses coûts, ses clés et les usages déclarés des exercices ouverts seront supprimés. "
            "Un élément qui compte dans un exercice clos ne peut plus l’être."
        ),
        action=lambda: services.item_delete(actor=request.user, item=item),
        back=convention.get_absolute_url(),
        done=convention.get_absolute_url(),
        success=_("L’élément mutualisé est supprimé."),
    )


@login_required
@require_POST
def year_open(request, slug: str, pk: int):
    convention = _convention(request, slug, pk, edit=True)
    form = forms.YearForm(request.POST)
    if form.is_valid():
        try:
            year = services.year_open(
                actor=request.user, convention=convention, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L’exercice %(year)s est ouvert.") % {"year": year.year})
            return redirect(year.get_absolute_url())
    else:
        messages.error(request, " ".join(form.errors.get("year", [])))
    return redirect(convention.get_absolute_url())


def year(request, slug: str, pk: int, year: int):
    allocation_year = _year(request, slug, pk, year)
    convention = allocation_year.convention
    user = request.user
    can_edit = permissions.can_edit(user, convention)
    allocation = selectors.allocation_of(allocation_year)
    parties = permissions.parties_answered_for(user, convention)
    return render(
        request,
        "mutualisation/year.html",
        {
            "cooperation": convention.cooperation,
            "convention": convention,
            "year": allocation_year,
            "allocation": allocation,
            "table": selectors.allocation_table(allocation) if can_edit else None,
            "chart": documents.shares_chart(allocation) if can_edit else None,
            "own_statements": []
            if can_edit
            else documents.shown_statements(allocation_year, parties),
            "can_edit_year": can_edit and allocation_year.is_open,
            "advances": allocation_year.advances.select_related("party__party__organisation"),
            "can_edit": can_edit,
            "can_declare": allocation_year.is_open and parties.exists(),
        },
    )


def year_history(request, slug: str, pk: int, year: int):
    """Every change of the year: its costs, keys, declared uses, advances, closings."""
    allocation_year = _year(request, slug, pk, year)
    allowed = permissions.can_edit(request.user, allocation_year.convention)
    return history_page(request, allocation_year, allowed=allowed)


def _year_input_page(request, allocation_year: AllocationYear, form_class, service, **texts):
    """The page adding one of a year's inputs (a cost, an advance) through its service."""
    form = form_class(request.POST or None, convention=allocation_year.convention)
    return form_page(
        request,
        form,
        lambda data: (
            service(actor=request.user, year=allocation_year, **data)
            and allocation_year.get_absolute_url()
        ),
        cooperation=allocation_year.convention.cooperation,
        back=allocation_year.get_absolute_url(),
        **texts,
    )


@login_required
def cost_add(request, slug: str, pk: int, year: int):
    return _year_input_page(
        request,
        _year(request, slug, pk, year, edit=True),
        forms.CostForm,
        services.cost_add,
        title=_("Ajouter un coût à l’exercice %(year)s") % {"year": year},
        success=_("Le coût est enregistré."),
    )


@login_required
def cost_delete(request, slug: str, pk: int, year: int, cost_pk: int):
    allocation_year = _year(request, slug, pk, year, edit=True)
    cost = allocation_year.costs.select_related("item").filter(pk=cost_pk).first()
    if cost is None:
        raise Http404
    cost.year = allocation_year
    return confirm_page(
        request,
        cooperation=allocation_year.convention.cooperation,
        title=_("Supprimer ce coût ?"),
        explanation=f"{cost.item} — {cost.get_component_display()} : {cents(cost.amount)}",
        action=lambda: services.cost_delete(actor=request.user, cost=cost),
        back=allocation_year.get_absolute_url(),
        done=allocation_year.get_absolute_url(),
        success=_("Le coût est supprimé."),
    )


@login_required
def advance_add(request, slug: str, pk: int, year: int):
    return _year_input_page(
        request,
        _year(request, slug, pk, year, edit=True),
        forms.AdvanceForm,
        services.advance_add,
        title=_("Enregistrer un acompte pour %(year)s") % {"year": year},
        success=_("L’acompte est enregistré."),
    )


@login_required
def key_form(request, slug: str, pk: int, year: int, item_pk: int):
    allocation_year = _year(request, slug, pk, year, edit=True)
    convention = allocation_year.convention
    item = selectors.items_of(convention).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    item.convention = convention
    sharing = list(selectors.sharing_of(item))
    form = forms.KeyForm(request.POST or None, year=allocation_year, item=item, parties=sharing)

    def save(data) -> str:
        services.key_set(
            actor=request.user,
            year=allocation_year,
            item=item,
            terms=form.terms(),
            figures=form.figures(),
        )
        return allocation_year.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=convention.cooperation,
        title=_("Clé de répartition de « %(item)s » en %(year)s")
        % {"item": item.name, "year": year},
        back=allocation_year.get_absolute_url(),
        success=_("La clé est enregistrée."),
        template="mutualisation/key_form.html",
        context={"convention": convention, "year": allocation_year, "item": item},
    )


@login_required
def uses_form(request, slug: str, pk: int, year: int):
    allocation_year = _year(request, slug, pk, year)
    convention = allocation_year.convention
    parties = list(permissions.parties_answered_for(request.user, convention))
    if not parties:
        raise PermissionDenied
    form = forms.UsesForm(
        request.POST or None,
        year=allocation_year,
        parties=parties,
        items=selectors.with_sharing(selectors.items_of(convention), convention),
    )

    def save(data) -> str:
        with transaction.atomic():  # every party's uses, or none
            for party, uses in form.uses_by_party().items():
                services.uses_declare(
                    actor=request.user,
                    year=allocation_year,
                    party=party,
                    uses={
                        item: DeclaredUnits(forecast=forecast, actual=actual)
                        for item, (forecast, actual) in uses.items()
                    },
                )
        return allocation_year.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=convention.cooperation,
        title=_("Usages déclarés en %(year)s") % {"year": year},
        back=allocation_year.get_absolute_url(),
        success=_("Les usages sont enregistrés."),
        template="mutualisation/uses_form.html",
        context={"convention": convention, "year": allocation_year},
    )


@login_required
def year_close(request, slug: str, pk: int, year: int):
    allocation_year = _year(request, slug, pk, year, edit=True)
    return confirm_page(
        request,
        cooperation=allocation_year.convention.cooperation,
        title=_("Clore l’exercice %(year)s ?") % {"year": year},
        explanation=_(
            "Les coûts, les clés, les usages, les populations et les acomptes de l’exercice "
            "seront figés, et le décompte de chaque partie émis. Une correction rouvrira "
            "l’exercice et émettra une nouvelle version des décomptes."
        ),
        action=lambda: services.year_close(actor=request.user, year=allocation_year),
        back=allocation_year.get_absolute_url(),
        done=allocation_year.get_absolute_url(),
        success=_("L’exercice est clos et les décomptes sont émis."),
    )


@login_required
def year_reopen(request, slug: str, pk: int, year: int):
    allocation_year = _year(request, slug, pk, year, edit=True)
    form = forms.ReopenForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.year_reopen(
            actor=request.user, year=allocation_year, **data
        ).get_absolute_url(),
        cooperation=allocation_year.convention.cooperation,
        title=_("Rouvrir l’exercice %(year)s pour une correction") % {"year": year},
        back=allocation_year.get_absolute_url(),
        success=_("L’exercice est rouvert : les décomptes émis restent consultables."),
    )


def _statement(request, slug: str, pk: int, year: int, member_pk: int):
    allocation_year = _year(request, slug, pk, year)
    member = permissions.get_party_of(allocation_year.convention, member_pk)
    if not permissions.can_answer_for(request.user, member):
        raise Http404
    return allocation_year, member


def statement(request, slug: str, pk: int, year: int, member_pk: int):
    allocation_year, member = _statement(request, slug, pk, year, member_pk)
    shown = documents.statement_shown(allocation_year, member, request.GET.get("version"))
    return render(
        request,
        "mutualisation/statement.html",
        {
            "cooperation": allocation_year.convention.cooperation,
            "convention": allocation_year.convention,
            "year": allocation_year,
            "member": member,
            "statement": shown,
            "incomplete": documents.INCOMPLETE,
            "versions": selectors.statement_versions(allocation_year, member),
        },
    )


def statement_file(request, slug: str, pk: int, year: int, member_pk: int, kind: str):
    allocation_year, member = _statement(request, slug, pk, year, member_pk)
    shown = documents.statement_shown(allocation_year, member, request.GET.get("version"))
    return documents.statement_response(shown, kind)


def allocation_file(request, slug: str, pk: int, year: int):
    allocation_year = _year(request, slug, pk, year, edit=True)
    return documents.allocation_response(selectors.allocation_of(allocation_year))


def report_file(request, slug: str, pk: int, kind: str):
    convention = _convention(request, slug, pk, edit=True)
    return documents.report_response(convention, kind)
