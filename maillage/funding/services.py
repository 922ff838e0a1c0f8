"""Every write of the funding app: a fund and what it holds (envelopes, fiches-actions and their
grids, calls), an application from its draft to its last payment, and the portfolio's
financing line that follows it.

An application's status changes only through `_move`, which checks the path and journals the
change (who, when, why) in the same transaction. A grant is decided under a lock on the fund's
row, so that two decisions made at once cannot together exceed its envelope; the decision
creates (or links) the portfolio's project and its financing line, which the payments then
move to "paid" — the line belongs to the fund and is not edited by hand."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.models import Cooperation, StrategyNode
from maillage.core.exceptions import Conflict
from maillage.core.history import delete_recorded, recorded_change
from maillage.core.services import apply_changes
from maillage.funding import permissions, selectors
from maillage.funding.enums import (
    GRANTING_OUTCOMES,
    ApplicationStatus,
    Outcome,
    PaymentKind,
    QuestionKind,
    Stage,
)
from maillage.funding.models import (
    Answer,
    Application,
    ApplicationPartner,
    BudgetLine,
    Call,
    Criterion,
    Envelope,
    Fund,
    Measure,
    OtherFunding,
    Payment,
    Question,
    Review,
    Score,
    StatusChange,
)
from maillage.funding.rules import Problem, money, problems
from maillage.governance import services as governance_services
from maillage.governance.enums import DecisionKind
from maillage.governance.models import Meeting
from maillage.notifications.enums import NotificationKind
from maillage.notifications.services import email_body, notify_addresses
from maillage.projects import services as project_services
from maillage.projects.enums import FinancingStatus, ProjectStatus
from maillage.projects.models import FinancingLine, Project
from maillage.territories.models import Territory

FUND_FIELDS = (
    "name",
    "code",
    "description",
    "managing_body",
    "committee",
    "double_quorum",
    "currency",
    "envelope_period",
    "max_aid",
    "min_aid",
    "max_budget",
    "max_aid_rate",
    "eligible_applicant_kinds",
    "cross_border",
    "expenses_after_receipt",
    "visibility",
)
FUND_LINKS = ("eligible_territories", "strategy_nodes")
ENVELOPE_FIELDS = ("funder", "year", "amount", "rate_on", "note")
MEASURE_FIELDS = ("code", "title", "description", "pass_threshold")
CRITERION_FIELDS = ("label", "max_points", "position")
CALL_FIELDS = ("title", "description", "opens_at", "closes_at", "two_steps")
QUESTION_FIELDS = ("label", "help_text", "kind", "choices", "required")
APPLICATION_FIELDS = (
    "measure",
    "applicant",
    "contact_name",
    "contact_email",
    "title",
    "summary",
    "expected_results",
    "start_date",
    "end_date",
    "requested_amount",
)
PARTNER_FIELDS = ("organisation", "country", "role")
BUDGET_FIELDS = ("category", "label", "amount", "currency", "eligible")
OTHER_FUNDING_FIELDS = ("funder", "amount", "currency")
PAYMENT_FIELDS = (
    "kind",
    "requested_amount",
    "expenses_total",
    "expenses_from",
    "expenses_to",
    "note",
)

S = ApplicationStatus
# The path an application follows: from each status, where it may go.
PATH: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.SUBMITTED, S.WITHDRAWN),
    S.SUBMITTED: (S.ELIGIBLE, S.INELIGIBLE, S.RETURNED, S.WITHDRAWN),
    S.RETURNED: (S.SUBMITTED, S.WITHDRAWN),
    S.ELIGIBLE: (S.ASSESSMENT, S.RETURNED, S.WITHDRAWN),
    S.INELIGIBLE: (),
    S.ASSESSMENT: (S.DECIDED, S.RETURNED, S.WITHDRAWN),
    S.DECIDED: (S.CONTRACTED, S.DECIDED),
    S.CONTRACTED: (S.IN_PAYMENT, S.CLOSED),
    S.IN_PAYMENT: (S.CLOSED,),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}


def _require_manage(actor: User | None, fund: Fund) -> None:
    if actor is not None and not permissions.can_manage(actor, fund):
        raise PermissionDenied


def _move(application: Application, status: str, *, actor: User | None, reason: str = "") -> None:
    """Change an application's status along `PATH` and journal it (inside a recorded change)."""
    before = application.status
    if status not in PATH[before]:
        raise Conflict(
            _("Un dossier « %(before)s » ne peut pas passer à « %(after)s ».")
            % {"before": S(before).label, "after": S(status).label}
        )
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    StatusChange.objects.create(
        application=application,
        status_before=before,
        status_after=status,
        actor=actor,
        reason=reason.strip(),
    )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif.")})


def _mail(
    application: Application,
    subject: str,
    body: str,
    to: Iterable[str],
    *,
    with_receipt: bool = False,
) -> None:
    """An e-mail about an application, with its address (and its receipt as a PDF), sent by
    the task worker once the transaction commits."""
    path = reverse("funding:application", kwargs={"pk": application.pk})
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    if with_receipt:
        text = email_body(body, settings.SITE_URL.rstrip("/") + path)
        from maillage.funding.tasks import mail_receipt

        language = get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(
            lambda: mail_receipt.enqueue(
                application_id=application.pk,
                subject=subject,
                body=text,
                to=recipients,
                language=language,
            )
        )
    else:
        notify_addresses(
            emails=recipients,
            kind=NotificationKind.APPLICATION,
            title=subject,
            text=body,
            url=path,
        )


# The fund and what it holds


def fund_create(
    *,
    actor: User | None,
    cooperation: Cooperation,
    eligible_territories: Iterable[Territory] = (),
    strategy_nodes: Iterable[StrategyNode] = (),
    **fields: Any,
) -> Fund:
    fund = Fund(cooperation=cooperation, **fields)
    _require_manage(actor, fund)
    nodes = list(strategy_nodes)
    cooperation_services.require_same_cooperation(cooperation.pk, "strategy_nodes", nodes)
    fund.full_clean()
    with recorded_change(actor=actor, comment=_("Nouveau fonds : %(name)s") % {"name": fund.name}):
        fund.save()
        fund.eligible_territories.set(eligible_territories)
        fund.strategy_nodes.set(nodes)
    return fund


def fund_update(*, actor: User | None, fund: Fund, **changes: Any) -> Fund:
    _require_manage(actor, fund)
    links = {name: changes.pop(name) for name in FUND_LINKS if name in changes}
    if "strategy_nodes" in links:
        links["strategy_nodes"] = list(links["strategy_nodes"])
        cooperation_services.require_same_cooperation(
            fund.cooperation_id, "strategy_nodes", links["strategy_nodes"]
        )
    comment = _("Fonds modifié : %(name)s") % {"name": fund.name}
    with recorded_change(actor=actor, comment=comment):
        apply_changes(actor=actor, obj=fund, changes=changes, allowed=FUND_FIELDS, comment=comment)
        for name, objects in links.items():
            getattr(fund, name).set(objects)
    return fund


def fund_delete(*, actor: User, fund: Fund) -> None:
    """Only a fund that received no application: the others are the record of its grants."""
    _require_manage(actor, fund)
    if Application.objects.filter(call__fund=fund).exists():
        raise Conflict(_("Ce fonds a reçu des dossiers : il ne peut plus être supprimé."))
    delete_recorded(
        actor=actor,
        obj=fund,
        cascaded=fund_parts(fund),
        comment=_("Fonds supprimé : %(name)s") % {"name": fund.name},
    )


def fund_parts(fund: Fund) -> list[Model]:
    measures = fund.measures.all()
    return [
        *fund.envelopes.all(),
        *measures,
        *Criterion.objects.filter(measure__in=measures),
        *fund.calls.all(),
        *Question.objects.filter(call__fund=fund),
    ]


def cooperation_funds_cascade(cooperation: Cooperation) -> list[Model]:
    """A cooperation's deletion takes its funds and their applications
    (cooperations.services.DELETION_CASCADES)."""
    funds = list(cooperation.funds.all())
    applications = Application.objects.filter(call__fund__in=funds)
    reviews = Review.objects.filter(application__in=applications)
    return [
        *[obj for fund in funds for obj in (fund, *fund_parts(fund))],
        *applications,
        *ApplicationPartner.objects.filter(application__in=applications),
        *BudgetLine.objects.filter(application__in=applications),
        *OtherFunding.objects.filter(application__in=applications),
        *Answer.objects.filter(application__in=applications),
        *reviews,
        *Payment.objects.filter(application__in=applications),
    ]


def envelope_add(*, actor: User | None, fund: Fund, **fields: Any) -> Envelope:
    _require_manage(actor, fund)
    envelope = Envelope(fund=fund, **fields)
    envelope.full_clean()
    with recorded_change(
        actor=actor, comment=_("Enveloppe ajoutée au fonds %(fund)s") % {"fund": fund.name}
    ):
        envelope.save()
    return envelope


def envelope_update(*, actor: User | None, envelope: Envelope, **changes: Any) -> Envelope:
    _require_manage(actor, envelope.fund)
    apply_changes(
        actor=actor,
        obj=envelope,
        changes=changes,
        allowed=ENVELOPE_FIELDS,
        comment=_("Enveloppe modifiée"),
    )
    return envelope


def envelope_delete(*, actor: User, envelope: Envelope) -> None:
    _require_manage(actor, envelope.fund)
    delete_recorded(actor=actor, obj=envelope, comment=_("Enveloppe supprimée"))


def measure_add(
    *,
    actor: User | None,
    fund: Fund,
    strategy_nodes: Iterable[StrategyNode] = (),
    criteria: Iterable[tuple[str, Decimal]] = (),
    **fields: Any,
) -> Measure:
    """A fiche-action with its selection grid (criteria: label and maximum points)."""
    _require_manage(actor, fund)
    nodes = list(strategy_nodes)
    cooperation_services.require_same_cooperation(fund.cooperation_id, "strategy_nodes", nodes)
    measure = Measure(fund=fund, **fields)
    measure.full_clean()
    with recorded_change(actor=actor, comment=_("Fiche-action %(code)s") % {"code": measure.code}):
        measure.save()
        measure.strategy_nodes.set(nodes)
        for position, (label, points) in enumerate(criteria, start=1):
            criterion = Criterion(
                measure=measure, position=position, label=label, max_points=points
            )
            criterion.full_clean()
            criterion.save()
    return measure


def criterion_add(*, actor: User | None, measure: Measure, **fields: Any) -> Criterion:
    _require_manage(actor, measure.fund)
    if "position" not in fields:
        fields["position"] = (measure.criteria.aggregate(last=Max("position"))["last"] or 0) + 1
    criterion = Criterion(measure=measure, **fields)
    criterion.full_clean()
    with recorded_change(
        actor=actor, comment=_("Critère ajouté à la fiche-action %(code)s") % {"code": measure.code}
    ):
        criterion.save()
    return criterion


def _measures_of(fund: Fund, measures: Iterable[Measure]) -> list[Measure]:
    chosen = list(measures)
    if any(measure.fund_id != fund.pk for measure in chosen):
        raise ValidationError({"measures": _("Ces fiches-actions sont celles d’un autre fonds.")})
    return chosen


def call_create(
    *, actor: User | None, fund: Fund, measures: Iterable[Measure] = (), **fields: Any
) -> Call:
    _require_manage(actor, fund)
    chosen = _measures_of(fund, measures)
    call = Call(fund=fund, **fields)
    call.full_clean()
    with recorded_change(
        actor=actor, comment=_("Appel à projets : %(title)s") % {"title": call.title}
    ):
        call.save()
        call.measures.set(chosen)
    return call


def call_update(
    *, actor: User, call: Call, measures: Iterable[Measure] | None = None, **changes: Any
) -> Call:
    _require_manage(actor, call.fund)
    chosen = None if measures is None else _measures_of(call.fund, measures)
    comment = _("Appel à projets modifié : %(title)s") % {"title": call.title}
    with recorded_change(actor=actor, comment=comment):
        apply_changes(actor=actor, obj=call, changes=changes, allowed=CALL_FIELDS, comment=comment)
        if chosen is not None:
            call.measures.set(chosen)
    return call


def call_document_add(*, actor: User | None, call: Call, **document: Any):
    """Store a document of the cooperation (the rules, a form, a template) and offer it for
    download on the call's page."""
    _require_manage(actor, call.fund)
    with recorded_change(actor=actor, comment=_("Document joint à l’appel à projets")):
        stored = cooperation_services.document_add(
            actor=actor, cooperation=call.fund.cooperation, **document
        )
        call.documents.add(stored)
    return stored


def question_add(*, actor: User | None, call: Call, **fields: Any) -> Question:
    """A question the call asks beyond the common ones, last in its list."""
    _require_manage(actor, call.fund)
    position = (call.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = Question(call=call, position=position, **fields)
    question.full_clean()
    with recorded_change(actor=actor, comment=_("Question ajoutée à l’appel à projets")):
        question.save()
    return question


def question_delete(*, actor: User, question: Question) -> None:
    """Only a question nobody answered: an answer given is part of a dossier."""
    _require_manage(actor, question.call.fund)
    if question.answers.exists():
        raise Conflict(
            _("Des dossiers ont répondu à cette question : elle ne peut plus être retirée.")
        )
    delete_recorded(actor=actor, obj=question, comment=_("Question retirée de l’appel à projets"))


def _answer_value(question: Question, value: Any) -> dict[str, Any]:
    """The columns of an answer to `question`, checked against its kind."""
    if question.kind == QuestionKind.FILE:
        return {"file": value}
    if question.kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(value).replace(",", ".").strip())
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError(
                {"answers": _("« %(label)s » attend un nombre.") % {"label": question.label}}
            )
        return {"number": number.quantize(Decimal("0.01"))}
    text = str(value).strip()
    if question.kind == QuestionKind.CHOICE and text not in question.options():
        raise ValidationError(
            {
                "answers": _("« %(label)s » attend l’un de ces choix : %(options)s.")
                % {"label": question.label, "options": ", ".join(question.options())}
            }
        )
    return {"text": text}


def answers_save(
    *, actor: User | None, application: Application, answers: Mapping[Question, Any]
) -> list[Answer]:
    """The applicant's answers to the call's questions (an empty value clears one), all
    checked before any is written."""
    _require_applicant_edit(actor, application)
    if any(question.call_id != application.call_id for question in answers):
        raise ValidationError({"answers": _("Cette question est celle d’un autre appel.")})
    cleared = [question for question, value in answers.items() if value in (None, "")]
    kept = []
    for question, value in answers.items():
        if value in (None, ""):
            continue
        answer = application.answers.filter(question=question).first() or Answer(
            application=application, question=question
        )
        for field, column in _answer_value(question, value).items():
            setattr(answer, field, column)
        answer.full_clean()
        kept.append(answer)
    with recorded_change(actor=actor, comment=_("Réponses aux questions de l’appel")):
        application.answers.filter(question__in=cleared).delete()
        for answer in kept:
            answer.save()
    return kept


# The applicant's dossier


def _require_applicant_edit(actor: User | None, application: Application) -> None:
    if actor is None:
        return
    if not permissions.is_applicant(actor, application):
        raise PermissionDenied
    if application.status not in permissions.APPLICANT_EDITS:
        raise Conflict(
            _("Ce dossier est « %(status)s » : il ne se modifie plus.")
            % {"status": application.get_status_display()}
        )


def application_create(
    *,
    actor: User,
    call: Call,
    territories: Iterable[Territory] = (),
    **fields: Any,
) -> Application:
    """A draft, the applicant's to complete until they submit it."""
    if not permissions.can_apply(actor, call):
        raise PermissionDenied
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    stage = Stage.INTEREST if call.two_steps else Stage.FULL
    application = Application(call=call, created_by=actor, stage=stage, **fields)
    application.full_clean()
    with recorded_change(
        actor=actor, comment=_("Nouveau dossier : %(title)s") % {"title": application.title}
    ):
        application.save()
        application.territories.set(territories)
        StatusChange.objects.create(application=application, status_after=S.DRAFT, actor=actor)
    return application


def application_update(
    *,
    actor: User,
    application: Application,
    territories: Iterable[Territory] | None = None,
    **changes: Any,
) -> Application:
    _require_applicant_edit(actor, application)
    comment = _("Dossier modifié : %(title)s") % {"title": application.title}
    with recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor,
            obj=application,
            changes=changes,
            allowed=APPLICATION_FIELDS,
            comment=comment,
        )
        if territories is not None:
            application.territories.set(territories)
    return application


def _part_add(actor: User | None, application: Application, part: Model, comment: str):
    _require_applicant_edit(actor, application)
    part.full_clean()
    with recorded_change(actor=actor, comment=comment):
        part.save()
    return part


def _part_delete(actor: User | None, application: Application, part: Model, comment: str) -> None:
    _require_applicant_edit(actor, application)
    delete_recorded(actor=actor, obj=part, comment=comment)


def partner_add(*, actor: User | None, application: Application, **fields: Any):
    if application.partners.filter(organisation=fields.get("organisation")).exists():
        raise ValidationError({"organisation": _("Cette structure est déjà partenaire.")})
    if fields.get("organisation") == application.applicant:
        raise ValidationError({"organisation": _("Le porteur n’est pas son propre partenaire.")})
    partner = ApplicationPartner(application=application, **fields)
    return _part_add(actor, application, partner, _("Partenaire ajouté au dossier"))


def partner_remove(*, actor: User | None, partner: ApplicationPartner) -> None:
    _part_delete(actor, partner.application, partner, _("Partenaire retiré du dossier"))


def budget_line_add(*, actor: User | None, application: Application, **fields: Any) -> BudgetLine:
    line = BudgetLine(application=application, **fields)
    return _part_add(actor, application, line, _("Dépense ajoutée au budget du dossier"))


def budget_line_remove(*, actor: User | None, line: BudgetLine) -> None:
    _part_delete(actor, line.application, line, _("Dépense retirée du budget du dossier"))


def other_funding_add(
    *, actor: User | None, application: Application, **fields: Any
) -> OtherFunding:
    line = OtherFunding(application=application, **fields)
    return _part_add(actor, application, line, _("Financement ajouté au plan du dossier"))


def other_funding_remove(*, actor: User | None, line: OtherFunding) -> None:
    _part_delete(actor, line.application, line, _("Financement retiré du plan du dossier"))


def submission_problems(application: Application) -> list[Problem]:
    """What keeps an application from being submitted: the fund's rules it breaks."""
    fund = application.call.fund
    return problems(
        selectors.fund_rules(fund),
        selectors.application_facts(application),
        interest=application.stage == Stage.INTEREST,
    )


def _number(application: Application) -> str:
    """The next number of the fund, under the fund's row lock: FPPT-2026-007."""
    fund = application.call.fund
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    prefix = f"{fund.code.upper()}-{application.call.year}-"
    taken = Application.objects.filter(call__fund=fund, number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max((int(number.removeprefix(prefix)) for number in taken), default=0)
    return f"{prefix}{last + 1:03d}"


def application_submit(
    *, actor: User | None, application: Application, now: datetime | None = None
) -> Application:
    """Submit (or submit again, once completed) an application while its call is open; the
    fund's rules must all pass. The applicant receives the receipt (number and date)."""
    if actor is not None and not permissions.is_applicant(actor, application):
        raise PermissionDenied
    now = now or timezone.now()
    call = application.call
    if not call.is_open(now):
        raise Conflict(
            _(
                "L’appel à projets « %(call)s » est clos depuis le %(date)s : le dossier ne peut "
                "plus être déposé."
            )
            % {
                "call": call.title,
                "date": timezone.localtime(call.closes_at).strftime("%d/%m/%Y %H:%M"),
            }
            if now >= call.closes_at
            else _("L’appel à projets « %(call)s » n’est pas encore ouvert.") % {"call": call.title}
        )
    errors = problems_by_field(application)
    if errors:
        raise ValidationError(errors)
    with recorded_change(actor=actor, comment=_("Dossier déposé")):
        if not application.number:
            application.number = _number(application)
        if application.submitted_at is None:
            application.submitted_at = now
        application.save(update_fields=["number", "submitted_at", "updated_at"])
        _move(application, S.SUBMITTED, actor=actor)
    _mail(
        application,
        _("Accusé de réception : dossier %(number)s") % {"number": application.number},
        _(
            "Votre dossier « %(title)s » a été déposé le %(date)s auprès de %(fund)s sous le "
            "numéro %(number)s."
        )
        % {
            "title": application.title,
            "date": timezone.localtime(application.submitted_at).strftime("%d/%m/%Y %H:%M"),
            "fund": call.fund.name,
            "number": application.number,
        },
        [application.contact_email, getattr(application.created_by, "email", "")],
        with_receipt=True,
    )
    return application


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    if not permissions.is_applicant(actor, application):
        raise PermissionDenied
    with recorded_change(actor=actor, comment=_("Dossier retiré par son porteur")):
        _move(application, S.WITHDRAWN, actor=actor, reason=reason)
    return application


# Screening, assessment, decision


def application_screen(
    *, actor: User | None, application: Application, eligible: bool, reason: str = ""
) -> Application:
    """The fund's staff say whether a submitted application is eligible (why not, if not)."""
    _require_manage(actor, application.call.fund)
    if not eligible:
        _require_reason(reason)
    elif application.stage == Stage.INTEREST:
        raise Conflict(
            _(
                "Une déclaration d’intention n’est pas un dossier : invitez le porteur à déposer "
                "le dossier complet, ou déclarez-la irrecevable."
            )
        )
    with recorded_change(actor=actor, comment=_("Recevabilité du dossier")):
        _move(application, S.ELIGIBLE if eligible else S.INELIGIBLE, actor=actor, reason=reason)
    if not eligible:
        _mail(
            application,
            _("Dossier %(number)s irrecevable") % {"number": application.number},
            reason,
            [application.contact_email],
        )
    return application


def application_invite(
    *, actor: User | None, application: Application, reason: str = ""
) -> Application:
    """Invite the applicant of an expression of interest (a two-step call's first step) to
    complete and submit the full application."""
    _require_manage(actor, application.call.fund)
    if application.stage != Stage.INTEREST:
        raise Conflict(_("Ce dossier n’est pas une déclaration d’intention."))
    reason = reason.strip() or _("Invité à déposer le dossier complet.")
    with recorded_change(actor=actor, comment=_("Invitation à déposer le dossier complet")):
        application.stage = Stage.FULL
        application.save(update_fields=["stage", "updated_at"])
        _move(application, S.RETURNED, actor=actor, reason=reason)
    _mail(
        application,
        _("Dossier %(number)s : déposez le dossier complet") % {"number": application.number},
        reason,
        [application.contact_email],
    )
    return application


def application_return(*, actor: User | None, application: Application, reason: str) -> Application:
    """Send an application back to its applicant for more information."""
    _require_manage(actor, application.call.fund)
    _require_reason(reason)
    with recorded_change(actor=actor, comment=_("Dossier renvoyé au porteur")):
        _move(application, S.RETURNED, actor=actor, reason=reason)
    _mail(
        application,
        _("Dossier %(number)s : compléments demandés") % {"number": application.number},
        reason,
        [application.contact_email],
    )
    return application


def reviewer_assign(*, actor: User | None, application: Application, reviewer: User) -> Review:
    """Assign a reviewer; the application goes under assessment with its first reviewer."""
    _require_manage(actor, application.call.fund)
    if application.status not in (S.ELIGIBLE, S.ASSESSMENT):
        raise Conflict(_("Seul un dossier recevable ou en instruction reçoit des instructeurs."))
    if application.reviews.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("Cette personne instruit déjà ce dossier.")})
    with recorded_change(actor=actor, comment=_("Instructeur désigné")):
        review = Review.objects.create(application=application, reviewer=reviewer)
        if application.status == S.ELIGIBLE:
            _move(application, S.ASSESSMENT, actor=actor)
    _mail(
        application,
        _("Dossier %(number)s à instruire") % {"number": application.number},
        _("Vous êtes désigné·e pour instruire le dossier « %(title)s ».")
        % {"title": application.title},
        [reviewer.email],
    )
    return review


def _points(value: Any, criterion: Criterion) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"scores": _("« %(value)s » n’est pas un nombre.") % {"value": value}}
        ) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            {
                "scores": _("« %(criterion)s » se note de 0 à %(max)s.")
                % {"criterion": criterion.label, "max": f"{criterion.max_points.normalize():f}"}
            }
        )
    return points


def review_submit(
    *,
    actor: User,
    review: Review,
    scores: Mapping[int, Any] | None = None,
    comment: str = "",
    conflict: bool = False,
    conflict_note: str = "",
) -> Review:
    """A reviewer's scores (one per criterion of the application's grid) and opinion. A
    reviewer who works for the applicant or a partner must declare the conflict, and then
    gives no score."""
    if not permissions.can_review(actor, review):
        raise PermissionDenied
    application = review.application
    if application.status != S.ASSESSMENT:
        raise Conflict(_("Ce dossier n’est plus en instruction."))
    involved = selectors.organisations_of_user(actor) & selectors.parties_of(application)
    if involved and not conflict:
        raise ValidationError(
            {
                "conflict": _(
                    "Vous travaillez pour le porteur ou un partenaire de ce dossier : déclarez le "
                    "conflit d’intérêts ; vous ne pouvez pas le noter."
                )
            }
        )
    given = dict(scores or {})
    criteria = list(application.measure.criteria.all()) if application.measure else []
    rows: list[Score] = []
    if not conflict:
        missing = [criterion.label for criterion in criteria if criterion.pk not in given]
        if missing:
            raise ValidationError(
                {
                    "scores": _("Notez chaque critère : %(missing)s.")
                    % {"missing": ", ".join(missing)}
                }
            )
        unknown = set(given) - {criterion.pk for criterion in criteria}
        if unknown:
            raise ValidationError({"scores": _("Critère inconnu pour ce dossier.")})
        rows = [
            Score(
                review=review, criterion=criterion, points=_points(given[criterion.pk], criterion)
            )
            for criterion in criteria
        ]
    elif not conflict_note.strip():
        raise ValidationError({"conflict_note": _("Précisez la nature du conflit.")})
    with recorded_change(actor=actor, comment=_("Évaluation rendue")):
        review.scores.all().delete()
        Score.objects.bulk_create(rows)
        review.conflict = conflict
        review.conflict_note = conflict_note.strip()
        review.comment = comment.strip()
        review.total = None if conflict else sum((row.points for row in rows), Decimal(0))
        review.submitted_at = timezone.now()
        review.save()
    return review


def _require_quorum(fund: Fund, meeting: Meeting | None) -> None:
    if (
        fund.committee_id is not None
        and meeting is not None
        and meeting.body_id != fund.committee_id
    ):
        raise ValidationError({"meeting": _("Cette réunion n’est pas celle du comité du fonds.")})
    if not fund.double_quorum:
        return
    if meeting is None:
        raise ValidationError(
            {"meeting": _("Ce comité décide en réunion, avec son double quorum : choisissez-la.")}
        )
    quorum = governance_services.double_quorum(meeting)
    if not quorum.met:
        raise Conflict(
            _(
                "Double quorum non atteint : %(present)s présents sur %(members)s membres votants "
                "(la moitié au moins est requise), dont %(private)s du collège privé (la moitié "
                "au moins des présents est requise)."
            )
            % {
                "present": quorum.present,
                "members": quorum.voting_members,
                "private": quorum.private_present,
            }
        )


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Montant invalide.")}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
        raise ValidationError({field: _("Le montant doit être positif.")})
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Votes:
    """A committee's votes on a decision, written in the decision register."""

    cast_for: int
    against: int
    abstained: int

    def check(self, meeting: Meeting | None) -> None:
        if min(self.cast_for, self.against, self.abstained) < 0:
            raise ValidationError({"votes": _("Un nombre de voix ne peut être négatif.")})
        if meeting is None:
            return
        present = governance_services.double_quorum(meeting).present
        total = self.cast_for + self.against + self.abstained
        if present and total > present:
            raise ValidationError(
                {
                    "votes": _(
                        "%(total)s voix pour %(present)s membres votants présents ou représentés."
                    )
                    % {"total": total, "present": present}
                }
            )


def application_decide(
    *,
    actor: User | None,
    application: Application,
    outcome: str,
    granted_amount: Any = None,
    conditions: str = "",
    meeting: Meeting | None = None,
    on: date | None = None,
    project: Project | None = None,
    votes: Votes | None = None,
) -> Application:
    """The committee's decision, with its votes when they were counted. A grant may differ
    from the request, never exceed the fund's cap nor what remains of the envelope (checked
    under the fund's row lock: of two decisions made at once, the second sees the first). A
    grant creates the portfolio's project (or joins the one named) and its financing line,
    "granted"."""
    fund = application.call.fund
    _require_manage(actor, fund)
    outcome = Outcome(outcome)
    on = on or (timezone.localdate(meeting.start) if meeting else timezone.localdate())
    if application.status == S.DECIDED and application.outcome != Outcome.POSTPONED:
        raise Conflict(_("Ce dossier est déjà décidé."))
    if application.status not in (S.ASSESSMENT, S.DECIDED):
        raise Conflict(_("Seul un dossier en instruction peut être décidé."))
    _require_quorum(fund, meeting)
    if votes is not None:
        votes.check(meeting)
    if project is not None:
        cooperation_services.require_same_cooperation(fund.cooperation_id, "project", [project])
        if application.project is None:
            application.project = project
    granting = outcome in GRANTING_OUTCOMES
    amount = _amount(granted_amount, "granted_amount") if granting else None
    if outcome == Outcome.APPROVED_WITH_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("Indiquez les conditions.")})
    if amount is not None and fund.max_aid is not None and amount > fund.max_aid:
        raise ValidationError(
            {
                "granted_amount": _("L’aide dépasse le plafond du fonds (%(cap)s).")
                % {"cap": money(fund.max_aid, fund.currency)}
            }
        )
    with recorded_change(
        actor=actor,
        comment=_("Décision sur le dossier %(number)s") % {"number": application.number},
    ):
        Fund.objects.select_for_update().filter(pk=fund.pk).first()
        if amount is not None:
            pot = selectors.pot_for(fund, application.call.year)
            if amount > pot.remaining:
                raise Conflict(
                    _(
                        "L’aide de %(amount)s dépasse ce qui reste de l’enveloppe %(pot)s : "
                        "%(remaining)s (%(total)s, dont %(programmed)s déjà programmés)."
                    )
                    % {
                        "amount": money(amount, fund.currency),
                        "pot": pot.year or _("du programme"),
                        "remaining": money(pot.remaining, fund.currency),
                        "total": money(pot.amount, fund.currency),
                        "programmed": money(pot.programmed, fund.currency),
                    }
                )
        application.outcome = outcome
        application.granted_amount = amount
        application.conditions = conditions.strip()
        application.decided_on = on
        if amount is not None:
            _grant_in_portfolio(actor, application, amount, on)
        if fund.committee_id is not None:
            application.decision = governance_services.decision_record(
                actor=actor,
                text=_decision_text(application, outcome, amount, votes),
                kind=DecisionKind.FUNDING,
                date=on,
                body=fund.committee if meeting is None else None,
                meeting=meeting,
                projects=[application.project] if application.project else [],
            )
        application.save()
        _move(application, S.DECIDED, actor=actor, reason=conditions)
    _mail(
        application,
        _("Dossier %(number)s : décision du comité") % {"number": application.number},
        _decision_text(application, outcome, amount, votes),
        [application.contact_email],
    )
    return application


def _decision_text(
    application: Application, outcome: Outcome, amount: Decimal | None, votes: Votes | None
) -> str:
    text = _("Dossier %(number)s « %(title)s » : avis %(outcome)s") % {
        "number": application.number,
        "title": application.title,
        "outcome": outcome.label.lower(),
    }
    if amount is not None:
        text += _(", aide de %(amount)s") % {
            "amount": money(amount, application.call.fund.currency)
        }
    text += "."
    if votes is not None:
        text += " " + _("Votes : %(for)s pour, %(against)s contre, %(abstained)s.") % {
            "for": votes.cast_for,
            "against": votes.against,
            "abstained": ngettext("%(count)s abstention", "%(count)s abstentions", votes.abstained)
            % {"count": votes.abstained},
        }
    return text


def _grant_in_portfolio(
    actor: User | None, application: Application, amount: Decimal, on: date
) -> None:
    """The grant as the portfolio's financing line: a new project for the application (or the
    one it is already linked to), and the line the fund keeps."""
    fund = application.call.fund
    if application.project is None:
        application.project = project_services.project_create(
            actor=actor,
            cooperation=fund.cooperation,
            title=application.title[:300],
            summary=application.summary,
            owner=application.applicant,
            status=ProjectStatus.READY,
            status_changed_on=on,
            territories=list(application.territories.all()),
            partners=[partner.organisation for partner in application.partners.all()],
            strategy_nodes=list(application.measure.strategy_nodes.all())
            if application.measure
            else [],
        )
    fields = {
        "funder": fund.managing_body,
        "amount": amount,
        "currency": fund.currency,
        "status": FinancingStatus.GRANTED,
        "requested_on": timezone.localdate(application.submitted_at)
        if application.submitted_at
        else None,
        "granted_on": on,
    }
    if application.financing_line is None:
        application.financing_line = project_services.financing_add(
            actor=actor, project=application.project, **fields
        )
    else:
        project_services.financing_update(
            actor=actor, line=application.financing_line, by_owner=True, **fields
        )


def financing_line_owner(line: FinancingLine) -> str:
    """Why a fund's financing line is not edited by hand (projects.services.FINANCING_OWNERS)."""
    if Application.objects.filter(financing_line=line).exists():
        return _(
            "Cette ligne est l’aide d’un fonds : elle suit le dossier (décision, paiements) et "
            "se modifie depuis le dossier."
        )
    return ""


def convention_sign(
    *, actor: User | None, application: Application, signed_on: date
) -> Application:
    _require_manage(actor, application.call.fund)
    if application.outcome not in GRANTING_OUTCOMES:
        raise Conflict(_("Seule une aide accordée fait l’objet d’une convention."))
    if application.decided_on and signed_on < application.decided_on:
        raise ValidationError(
            {"signed_on": _("La convention ne peut être signée avant la décision.")}
        )
    with recorded_change(actor=actor, comment=_("Convention signée")):
        application.convention_signed_on = signed_on
        application.save(update_fields=["convention_signed_on", "updated_at"])
        _move(application, S.CONTRACTED, actor=actor)
    return application


def _paid_total(application: Application) -> Decimal:
    return application.payments.aggregate(total=Sum("paid_amount"))["total"] or Decimal(0)


def payment_request(*, actor: User | None, application: Application, **fields: Any) -> Payment:
    """A request for an advance, an instalment or the balance, by the applicant or the staff.
    With LEADER, no expense before the application's receipt is eligible."""
    fund = application.call.fund
    if actor is not None and not (
        permissions.is_applicant(actor, application) or permissions.can_manage(actor, fund)
    ):
        raise PermissionDenied
    if application.status not in (S.CONTRACTED, S.IN_PAYMENT):
        raise Conflict(_("Les paiements suivent la signature de la convention."))
    payment = Payment(application=application, **fields)
    payment.full_clean()
    received = timezone.localdate(application.submitted_at) if application.submitted_at else None
    if (
        fund.expenses_after_receipt
        and received
        and payment.expenses_from
        and payment.expenses_from < received
    ):
        raise ValidationError(
            {
                "expenses_from": _(
                    "Les dépenses antérieures au dépôt du dossier (%(date)s) ne sont pas éligibles."
                )
                % {"date": received.strftime("%d/%m/%Y")}
            }
        )
    left = (application.granted_amount or 0) - _paid_total(application)
    if payment.requested_amount > left:
        raise ValidationError(
            {
                "requested_amount": _("Il reste %(left)s à verser sur cette aide.")
                % {"left": money(left, fund.currency)}
            }
        )
    with recorded_change(actor=actor, comment=_("Demande de paiement")):
        payment.save()
    return payment


def payment_pay(
    *,
    actor: User | None,
    payment: Payment,
    checked_amount: Any,
    paid_amount: Any,
    paid_on: date,
) -> Payment:
    """The staff's check of a request (the amount retained) and its payment; the financing
    line is paid once the balance is; paying the balance closes the application."""
    application = payment.application
    _require_manage(actor, application.call.fund)
    if payment.paid_on is not None:
        raise Conflict(_("Cette demande est déjà payée."))
    checked = _amount(checked_amount, "checked_amount")
    paid = _amount(paid_amount, "paid_amount")
    if checked > payment.requested_amount:
        raise ValidationError({"checked_amount": _("Le montant retenu dépasse la demande.")})
    if paid > checked:
        raise ValidationError({"paid_amount": _("Le versement dépasse le montant retenu.")})
    if paid > (application.granted_amount or 0) - _paid_total(application):
        raise ValidationError({"paid_amount": _("Le versement dépasse ce qui reste de l’aide.")})
    with recorded_change(
        actor=actor, comment=_("Paiement du dossier %(number)s") % {"number": application.number}
    ):
        payment.checked_amount, payment.paid_amount, payment.paid_on = checked, paid, paid_on
        payment.save()
        if application.status == S.CONTRACTED:
            _move(application, S.IN_PAYMENT, actor=actor)
        if payment.kind == PaymentKind.BALANCE:
            _move(application, S.CLOSED, actor=actor)
            if application.financing_line is not None:
                project_services.financing_update(
                    actor=actor,
                    line=application.financing_line,
                    by_owner=True,
                    status=FinancingStatus.PAID,
                    paid_on=paid_on,
                )
    return payment


def problems_by_field(application: Application) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in submission_problems(application):
        found.setdefault(problem.field, []).append(problem.message)
    return found
