"""The pages of funds and calls for projects: a fund (rules, envelopes and their figures, its
fiches-actions, its calls), a call (public when its fund is), the fund's applications for its
staff, an applicant's own applications, and an application with what each reader may do."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from maillage.accounts.api import accepts_api_token
from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.forms import AttachedDocumentForm
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import documents_of
from maillage.core.exceptions import Conflict
from maillage.core.spreadsheets import SpreadsheetFormat
from maillage.core.views import confirm_page, file_download, form_page, list_filters
from maillage.funding import documents, exports, forms, permissions, selectors, services
from maillage.funding.enums import GRANTING_OUTCOMES, ApplicationStatus, Stage
from maillage.funding.models import Application

S = ApplicationStatus


def fund_page(request, pk: int):
    fund = permissions.get_fund_for_user(request.user, pk)
    can_manage = permissions.can_manage(request.user, fund)
    applications = permissions.applications_visible_to(request.user, fund)
    pots = [
        (pot, documents.pot_chart(pot, fund.currency)) for pot in selectors.envelope_figures(fund)
    ]
    return render(
        request,
        "funding/fund.html",
        {
            "fund": fund,
            "cooperation": fund.cooperation,
            "rules": selectors.fund_rules(fund),
            "pots": pots,
            "measures": fund.measures.prefetch_related("criteria", "strategy_nodes"),
            "calls": fund.calls.all(),
            "now": timezone.now(),
            "can_manage": can_manage,
            "counts": selectors.status_counts(applications) if can_manage else None,
            "territories": fund.eligible_territories.all(),
        },
    )


@login_required
def fund_form(request, slug: str | None = None, pk: int | None = None):
    fund = permissions.get_fund_for_user(request.user, pk, manage=True) if pk else None
    cooperation = (
        fund.cooperation if fund else get_cooperation_for_user(request.user, slug or "", edit=True)
    )
    form = forms.FundForm(request.POST or None, instance=fund, cooperation=cooperation)

    def save(data):
        if fund is None:
            return services.fund_create(
                actor=request.user, cooperation=cooperation, **data
            ).get_absolute_url()
        services.fund_update(actor=request.user, fund=fund, **data)
        return fund.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier le fonds") if fund else _("Nouveau fonds"),
        back=fund.get_absolute_url() if fund else cooperation.get_absolute_url(),
        success=_("Le fonds est enregistré."),
    )


def _fund_part_add(request, pk: int, form_class, add, *, title: str, success: str, **form_kwargs):
    """A form adding something to a fund (an envelope, a fiche-action), for its staff."""
    fund = permissions.get_fund_for_user(request.user, pk, manage=True)
    form = form_class(request.POST or None, **form_kwargs)

    def save(data) -> str:
        add(actor=request.user, fund=fund, **data)
        return fund.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=fund.cooperation,
        title=title,
        back=fund.get_absolute_url(),
        success=success,
    )


@login_required
def envelope_add(request, pk: int):
    return _fund_part_add(
        request,
        pk,
        forms.EnvelopeForm,
        services.envelope_add,
        title=_("Ajouter une enveloppe"),
        success=_("L’enveloppe est ajoutée."),
        fund=permissions.get_fund_for_user(request.user, pk, manage=True),
    )


@login_required
def measure_add(request, pk: int):
    return _fund_part_add(
        request,
        pk,
        forms.MeasureForm,
        services.measure_add,
        title=_("Ajouter une fiche-action"),
        success=_("La fiche-action est ajoutée."),
        fund=permissions.get_fund_for_user(request.user, pk, manage=True),
    )


@login_required
def call_form(request, pk: int | None = None, fund_pk: int | None = None):
    call = permissions.get_call_for_user(request.user, pk, manage=True) if pk else None
    fund = (
        call.fund
        if call
        else permissions.get_fund_for_user(request.user, fund_pk or 0, manage=True)
    )
    form = forms.CallForm(request.POST or None, instance=call, fund=fund)

    def save(data):
        if call is None:
            return services.call_create(actor=request.user, fund=fund, **data).get_absolute_url()
        services.call_update(actor=request.user, call=call, **data)
        return call.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=fund.cooperation,
        title=_("Modifier l’appel à projets") if call else _("Nouvel appel à projets"),
        back=call.get_absolute_url() if call else fund.get_absolute_url(),
        success=_("L’appel à projets est enregistré."),
    )


def call_page(request, pk: int):
    call = permissions.get_call_for_user(request.user, pk)
    fund = call.fund
    can_manage = permissions.can_manage(request.user, fund)
    ranking = selectors.call_ranking(call.applications.all()) if can_manage else None
    return render(
        request,
        "funding/call.html",
        {
            "call": call,
            "fund": fund,
            "cooperation": fund.cooperation,
            "rules": selectors.fund_rules(fund),
            "is_open": call.is_open(),
            "documents": documents_of(fund.cooperation, request.user).filter(calls=call),
            "measures": fund.measures.prefetch_related("criteria"),
            "can_manage": can_manage,
            "can_edit": can_manage,
            "can_apply": permissions.can_apply(request.user, call) and call.is_open(),
            "ask_login": call.is_open() and not request.user.is_authenticated,
            "ranking": ranking,
            "questions": call.questions.all(),
        },
    )


@login_required
def call_document_add(request, pk: int):
    call = permissions.get_call_for_user(request.user, pk, manage=True)
    cooperation = call.fund.cooperation
    form = AttachedDocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"visibility": call.fund.visibility, "kind": DocumentKind.OTHER},
        cooperation=cooperation,
    )

    def save(data) -> str:
        services.call_document_add(actor=request.user, call=call, **data)
        return call.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Joindre un document à « %(title)s »") % {"title": call.title},
        back=call.get_absolute_url(),
        success=_("Le document est joint à l’appel à projets."),
    )


@login_required
def question_add(request, pk: int):
    call = permissions.get_call_for_user(request.user, pk, manage=True)
    form = forms.QuestionForm(request.POST or None)

    def save(data) -> str:
        services.question_add(actor=request.user, call=call, **data)
        return call.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=call.fund.cooperation,
        title=_("Ajouter une question à « %(title)s »") % {"title": call.title},
        back=call.get_absolute_url(),
        success=_("La question est ajoutée."),
    )


@login_required
def question_delete(request, pk: int, question_pk: int):
    call = permissions.get_call_for_user(request.user, pk, manage=True)
    question = call.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    return confirm_page(
        request,
        cooperation=call.fund.cooperation,
        title=_("Retirer la question « %(label)s »") % {"label": question.label},
        explanation=_("Les dossiers ne la verront plus."),
        action=lambda: services.question_delete(actor=request.user, question=question),
        back=call.get_absolute_url(),
        done=call.get_absolute_url(),
        success=_("La question est retirée."),
    )


def applications(request, pk: int):
    """A fund's applications, for its staff: filters, counts per status, pages."""
    fund = permissions.get_fund_for_user(request.user, pk, manage=True)
    filters = list_filters(request, selectors.ApplicationFilters)
    visible = permissions.applications_visible_to(request.user, fund)
    rows = selectors.application_rows(selectors.filtered_applications(visible, filters))
    page = Paginator(cast(Any, rows), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/applications.html",
        {
            "fund": fund,
            "cooperation": fund.cooperation,
            "page_obj": page,
            "filters": filters,
            "counts": selectors.status_counts(visible),
            "statuses": S.choices,
            "calls": fund.calls.all(),
        },
    )


@login_required
def my_applications(request, reviews: bool = False):
    """One's own applications, or (`reviews`) the ones one reviews: 50 a page."""
    if reviews:
        rows = selectors.applications_reviewed_by(request.user)
    else:
        rows = selectors.application_list(Application.objects.filter(created_by=request.user))
    page = Paginator(rows.select_related("call__fund").order_by("-pk"), 50)
    return render(
        request,
        "funding/my_applications.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "reviews": reviews,
            "reviewing": reviews or selectors.applications_reviewed_by(request.user).exists(),
        },
    )


@login_required
def application_create(request, pk: int):
    call = permissions.get_call_for_user(request.user, pk)
    if not permissions.can_apply(request.user, call):
        raise Http404
    form = forms.ApplicationForm(
        request.POST or None,
        call=call,
        initial={"contact_email": request.user.email, "contact_name": request.user.get_full_name()},
    )

    def save(data):
        return services.application_create(actor=request.user, call=call, **data).get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=call.fund.cooperation,
        title=_("Nouveau dossier — %(call)s") % {"call": call.title},
        back=call.get_absolute_url(),
        success=_("Le brouillon est enregistré : complétez le budget et les partenaires."),
    )


def _questions_and_answers(application: Application) -> list[tuple[Any, Any]]:
    """Each question of the call with the application's answer (None: not answered)."""
    answers = {answer.question_id: answer for answer in application.answers.all()}
    return [(question, answers.get(question.pk)) for question in application.call.questions.all()]


def application_page(request, pk: int):
    application = permissions.get_application_for_user(request.user, pk)
    fund = application.call.fund
    user = request.user
    can_manage = permissions.can_manage(user, fund)
    is_applicant = permissions.is_applicant(user, application)
    own_review = (
        application.reviews.filter(reviewer=user).first() if user.is_authenticated else None
    )
    return render(
        request,
        "funding/application.html",
        {
            "application": application,
            "fund": fund,
            "cooperation": fund.cooperation,
            "partners": application.partners.select_related("organisation"),
            "budget": application.budget.all(),
            "other_funding": application.other_funding.all(),
            "facts": selectors.application_facts(application),
            "problems": services.submission_problems(application)
            if application.status in permissions.APPLICANT_EDITS
            else [],
            "journal": application.status_changes.select_related("actor"),
            "reviews": selectors.reviews_of(application) if can_manage else [],
            "payments": application.payments.all(),
            "questions": _questions_and_answers(application),
            "territories": application.territories.all(),
            "can_manage": can_manage,
            "can_edit": permissions.can_edit_application(user, application),
            "can_withdraw": is_applicant and application.status in permissions.WITHDRAWABLE,
            "can_request_payment": (is_applicant or can_manage)
            and application.status in (S.CONTRACTED, S.IN_PAYMENT),
            "own_review": own_review,
            "granted": application.outcome in GRANTING_OUTCOMES,
            "interest": application.stage == Stage.INTEREST,
            "S": S,
        },
    )


@dataclass(frozen=True)
class Action:
    """A form on an application's page that hands its data to one service
    (`service(actor=…, application=…, **data)`)."""

    form: Any  # a form class of funding/forms.py
    service: Callable[..., Any]
    title: Any  # lazy text, translated when shown
    success: Any
    # Whose it is: "staff" (the fund's), "applicant" (while the dossier is theirs to change),
    # or "reader" (whoever reads the application; the service says who may).
    who: str
    form_arguments: Callable[[Application], dict[str, Any]] = lambda application: {}


ACTIONS = {
    "partner_add": Action(
        forms.PartnerForm,
        services.partner_add,
        _lazy("Ajouter un partenaire"),
        _lazy("Le partenaire est ajouté."),
        who="applicant",
    ),
    "budget_line_add": Action(
        forms.BudgetLineForm,
        services.budget_line_add,
        _lazy("Ajouter une dépense"),
        _lazy("La dépense est ajoutée au budget."),
        who="applicant",
    ),
    "other_funding_add": Action(
        forms.OtherFundingForm,
        services.other_funding_add,
        _lazy("Ajouter un autre financement"),
        _lazy("Le financement est ajouté au plan."),
        who="applicant",
    ),
    "application_screen": Action(
        forms.ScreeningForm,
        services.application_screen,
        _lazy("Recevabilité"),
        _lazy("La recevabilité est enregistrée."),
        who="staff",
    ),
    "application_invite": Action(
        forms.InviteForm,
        services.application_invite,
        _lazy("Inviter à déposer le dossier complet"),
        _lazy("Le porteur est invité à déposer le dossier complet."),
        who="staff",
    ),
    "application_return": Action(
        forms.ReasonForm,
        services.application_return,
        _lazy("Renvoyer au porteur pour compléments"),
        _lazy("Le dossier est renvoyé à son porteur."),
        who="staff",
    ),
    "reviewer_assign": Action(
        forms.ReviewerForm,
        services.reviewer_assign,
        _lazy("Désigner un instructeur"),
        _lazy("L’instructeur est désigné et prévenu par e-mail."),
        who="staff",
        form_arguments=lambda application: {"cooperation": application.call.fund.cooperation},
    ),
    "application_decide": Action(
        forms.DecisionForm,
        services.application_decide,
        _lazy("Décision du comité"),
        _lazy("La décision est enregistrée."),
        who="staff",
        form_arguments=lambda application: {"fund": application.call.fund},
    ),
    "payment_request": Action(
        forms.PaymentRequestForm,
        services.payment_request,
        _lazy("Demande de paiement"),
        _lazy("La demande de paiement est enregistrée."),
        who="reader",
    ),
    "convention_sign": Action(
        forms.ConventionForm,
        services.convention_sign,
        _lazy("Signature de la convention"),
        _lazy("La signature de la convention est enregistrée."),
        who="staff",
    ),
}


@login_required
def application_action(request, pk: int, action: str):
    """One of `ACTIONS` on an application: the applicant's while the dossier is theirs to
    change, the fund's staff's otherwise (others: not found)."""
    act = ACTIONS[action]
    application = permissions.get_application_for_user(
        request.user, pk, edit=act.who == "applicant"
    )
    fund = application.call.fund
    if act.who == "staff" and not permissions.can_manage(request.user, fund):
        raise Http404
    form = act.form(request.POST or None, request.FILES or None, **act.form_arguments(application))

    def save(data) -> str:
        act.service(actor=request.user, application=application, **data)
        return application.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=fund.cooperation,
        title=f"{act.title} — {application.number or application.title}",
        back=application.get_absolute_url(),
        success=str(act.success),
    )


@login_required
def answers_form(request, pk: int):
    """The applicant answers the call's own questions (files included)."""
    application = permissions.get_application_for_user(request.user, pk, edit=True)
    form = forms.AnswersForm(
        request.POST or None,
        request.FILES or None,
        questions=application.call.questions.all(),
        answers=application.answers.select_related("question"),
    )

    def save(data) -> str:
        services.answers_save(actor=request.user, application=application, answers=form.answers())
        return application.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=application.call.fund.cooperation,
        title=_("Questions de l’appel — %(title)s") % {"title": application.title},
        back=application.get_absolute_url(),
        success=_("Les réponses sont enregistrées."),
    )


@accepts_api_token
def payment_statement(request, pk: int, payment_pk: int):
    """A payment request's statement of expenses, for those who read the application."""
    application = permissions.get_application_for_user(request.user, pk)
    payment = application.payments.filter(pk=payment_pk).first()
    if payment is None:
        raise Http404
    return file_download(payment.statement)


@accepts_api_token
def answer_file(request, pk: int, answer_pk: int):
    """A file an application joined, for those who read the application."""
    application = permissions.get_application_for_user(request.user, pk)
    answer = application.answers.filter(pk=answer_pk).first()
    if answer is None:
        raise Http404
    return file_download(answer.file)


@login_required
def application_update(request, pk: int):
    application = permissions.get_application_for_user(request.user, pk, edit=True)
    form = forms.ApplicationForm(request.POST or None, instance=application, call=application.call)

    def save(data):
        services.application_update(actor=request.user, application=application, **data)
        return application.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=application.call.fund.cooperation,
        title=_("Modifier le dossier"),
        back=application.get_absolute_url(),
        success=_("Le dossier est enregistré."),
    )


PARTS: dict[str, tuple[str, Any, str]] = {
    "partenaire": ("partners", services.partner_remove, "partner"),
    "depense": ("budget", services.budget_line_remove, "line"),
    "financement": ("other_funding", services.other_funding_remove, "line"),
}


@login_required
@require_POST
def part_remove(request, pk: int, part: str, part_pk: int):
    application = permissions.get_application_for_user(request.user, pk, edit=True)
    if part not in PARTS:
        raise Http404
    related, remove, argument = PARTS[part]
    obj = getattr(application, related).filter(pk=part_pk).first()
    if obj is None:
        raise Http404
    remove(actor=request.user, **{argument: obj})
    messages.success(request, _("La ligne est retirée."))
    return redirect(application.get_absolute_url())


@login_required
@require_POST
def application_submit(request, pk: int):
    application = permissions.get_application_for_user(request.user, pk, edit=True)
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(
            request,
            _(
                "Le dossier est déposé sous le numéro %(number)s ; l’accusé de réception vous est "
                "envoyé par e-mail."
            )
            % {"number": application.number},
        )
    return redirect(application.get_absolute_url())


@login_required
def application_withdraw(request, pk: int):
    application = permissions.get_application_for_user(request.user, pk)
    return confirm_page(
        request,
        cooperation=application.call.fund.cooperation,
        title=_("Retirer le dossier « %(title)s »") % {"title": application.title},
        explanation=_("Le dossier ne sera plus instruit ; ce retrait est définitif."),
        action=lambda: services.application_withdraw(actor=request.user, application=application),
        back=application.get_absolute_url(),
        done=application.get_absolute_url(),
        success=_("Le dossier est retiré."),
    )


@login_required
def review(request, pk: int):
    application = permissions.get_application_for_user(request.user, pk)
    own = application.reviews.filter(reviewer=request.user).first()
    if own is None:
        raise Http404
    criteria = application.measure.criteria.all() if application.measure else []
    form = forms.ReviewForm(request.POST or None, criteria=criteria)

    def save(data):
        services.review_submit(
            actor=request.user,
            review=own,
            scores=form.scores(),
            comment=data["comment"],
            conflict=data["conflict"],
            conflict_note=data["conflict_note"],
        )
        return application.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=application.call.fund.cooperation,
        title=_("Évaluer le dossier %(number)s") % {"number": application.number},
        back=application.get_absolute_url(),
        success=_("Votre évaluation est enregistrée."),
    )


@login_required
def payment_pay(request, pk: int, payment_pk: int):
    application = permissions.get_application_for_user(request.user, pk)
    payment = application.payments.filter(pk=payment_pk).first()
    fund = application.call.fund
    if payment is None or not permissions.can_manage(request.user, fund):
        raise Http404
    form = forms.PaymentForm(
        request.POST or None,
        initial={
            "checked_amount": payment.requested_amount,
            "paid_amount": payment.requested_amount,
        },
    )

    def save(data) -> str:
        services.payment_pay(actor=request.user, payment=payment, **data)
        return application.get_absolute_url()

    return form_page(
        request,
        form,
        save,
        cooperation=fund.cooperation,
        title=_("Paiement — %(number)s") % {"number": application.number},
        back=application.get_absolute_url(),
        success=_("Le paiement est enregistré."),
    )


@accepts_api_token
def application_file(request, pk: int, name: str, kind: str):
    """The receipt (PDF, its applicant and the fund's staff) and the convention (PDF or ODT,
    once the aid is granted)."""
    application = permissions.get_application_for_user(request.user, pk)
    if name == "accuse-reception" and kind == "pdf" and application.number:
        return documents.receipt_response(application)
    if name == "convention" and documents.has_convention(application):
        return documents.convention_response(application, kind)
    raise Http404


@login_required
def call_export(request, pk: int, fmt: str):
    call = permissions.get_call_for_user(request.user, pk, manage=True)
    try:
        spreadsheet = SpreadsheetFormat(fmt)
    except ValueError:
        raise Http404 from None
    return documents.call_export(call, spreadsheet)


def grants_export(request, pk: int):
    """The grants decided by a fund, in the SCDL "subventions" layout (open data)."""
    fund = permissions.get_fund_for_user(request.user, pk)
    try:
        text = exports.scdl_csv(fund)
    except Conflict as conflict:
        messages.error(request, str(conflict))
        return redirect(fund.get_absolute_url())
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subventions-{fund.code}.csv"'
    return response
