"""The funding API: funds and their envelopes' figures, calls, applications from the draft to
the payments, and the grants decided in the SCDL layout. Same services, same permissions and
same figures as the pages."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, ModelSchema, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import BaseModel

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.accounts.models import User
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.api import ERROR_RESPONSES, object_by_id, objects_by_ids, reference_in
from maillage.core.schemas import model_typed
from maillage.directory.models import Organisation
from maillage.funding import documents, exports, permissions, selectors, services
from maillage.funding.enums import Outcome
from maillage.funding.models import (
    Application,
    ApplicationPartner,
    BudgetLine,
    Call,
    Fund,
    Measure,
    OtherFunding,
    Payment,
    Question,
)
from maillage.governance.models import Meeting
from maillage.projects.models import Project
from maillage.territories.models import Territory

router = Router(tags=["funding"])


@model_typed
class FundOut(ModelSchema):
    class Meta:
        model = Fund
        fields = ["id", "cooperation", *[f for f in services.FUND_FIELDS if f != "managing_body"]]

    managing_body_id: int


class FundFilters(Schema):
    cooperation: int


class EnvelopeOut(Schema):
    id: int
    funder_id: int
    funder: str
    year: int | None
    amount: Decimal
    programmed: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    amount_eur: Decimal | None = Field(description="Au taux du jour que l’enveloppe indique")
    rate_date: dt.date | None


class PotOut(Schema):
    year: int | None = Field(description="null : l’enveloppe de tout le programme")
    currency: str
    amount: Decimal
    programmed: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    envelopes: list[EnvelopeOut]


@model_typed
class CallOut(ModelSchema):
    is_open: bool

    class Meta:
        model = Call
        fields = ["id", "fund", *services.CALL_FIELDS]


class CallFilters(Schema):
    fund: int | None = None
    open: bool | None = Field(default=None, description="true : les appels ouverts maintenant")


@model_typed
class ApplicationIn(ModelSchema):
    call_id: int
    territory_ids: list[int] = []

    class Meta:
        model = Application
        fields = services.APPLICATION_FIELDS


@model_typed
class ApplicationPatch(ModelSchema):
    territory_ids: list[int] | None = None

    class Meta:
        model = Application
        fields = services.APPLICATION_FIELDS
        fields_optional = "__all__"


@model_typed
class ApplicationOut(ModelSchema):
    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "number",
            "status",
            "stage",
            "submitted_at",
            "outcome",
            "granted_amount",
            "conditions",
            "decided_on",
            "convention_signed_on",
            "project",
            *services.APPLICATION_FIELDS,
        ]


class ApplicationRowOut(BaseModel):
    """A row of a list of applications. A plain pydantic model: the list builds it from dicts,
    so it skips ninja's attribute-reading wrapper (the heavy part of serialising 100 rows)."""

    id: int
    call_id: int
    call_title: str
    number: str
    title: str
    applicant_id: int
    applicant_name: str
    measure_id: int | None
    measure_code: str | None
    status: str
    submitted_at: dt.datetime | None
    outcome: str
    requested_amount: Decimal
    granted_amount: Decimal | None
    decided_on: dt.date | None
    project_id: int | None
    review_count: int = Field(description="Les évaluations rendues")
    average: Decimal | None = Field(description="La note moyenne (conflits d’intérêts exclus)")


class ProblemOut(Schema):
    field: str
    message: str


@model_typed
class PartnerIn(ModelSchema):
    class Meta:
        model = ApplicationPartner
        fields = services.PARTNER_FIELDS


@model_typed
class PartnerOut(ModelSchema):
    class Meta:
        model = ApplicationPartner
        fields = ["id", *services.PARTNER_FIELDS]


@model_typed
class BudgetLineIn(ModelSchema):
    class Meta:
        model = BudgetLine
        fields = services.BUDGET_FIELDS


@model_typed
class BudgetLineOut(ModelSchema):
    class Meta:
        model = BudgetLine
        fields = ["id", *services.BUDGET_FIELDS]


@model_typed
class OtherFundingOut(ModelSchema):
    class Meta:
        model = OtherFunding
        fields = ["id", *services.OTHER_FUNDING_FIELDS]


class ApplicationDetailOut(ApplicationOut):
    territory_ids: list[int]
    partners: list[PartnerOut]
    budget: list[BudgetLineOut]
    other_funding: list[OtherFundingOut]
    problems: list[ProblemOut] = Field(description="Les règles du fonds que le dossier enfreint")
    files: dict[str, str] = Field(
        description="Les fichiers du dossier (accusé de réception, convention) et leur adresse"
    )


class ApplicationFilters(selectors.ApplicationFilters):
    fund: int | None = None


class ScreeningIn(Schema):
    eligible: bool
    reason: str = ""


class ReasonIn(Schema):
    reason: str


class InviteIn(Schema):
    reason: str = ""


class ReviewerIn(Schema):
    reviewer_id: int


class ReviewIn(Schema):
    scores: dict[int, Decimal] = Field(default={}, description="Critère → points")
    comment: str = ""
    conflict: bool = False
    conflict_note: str = ""


class ReviewOut(Schema):
    id: int
    reviewer_id: int
    conflict: bool
    total: Decimal | None
    submitted_at: dt.datetime | None


class VotesIn(Schema):
    cast_for: int = Field(ge=0)
    against: int = Field(ge=0)
    abstained: int = Field(ge=0)


class DecisionIn(Schema):
    outcome: Outcome
    granted_amount: Decimal | None = None
    conditions: str = ""
    meeting_id: int | None = None
    on: dt.date | None = None
    project_id: int | None = Field(
        default=None, description="Un projet du portefeuille à lier (vide : l’aide le crée)"
    )
    votes: VotesIn | None = Field(default=None, description="Les voix, quand elles sont comptées")


class ConventionIn(Schema):
    signed_on: dt.date


@model_typed
class PaymentIn(ModelSchema):
    class Meta:
        model = Payment
        fields = services.PAYMENT_FIELDS


@model_typed
class PaymentOut(ModelSchema):
    class Meta:
        model = Payment
        fields = ["id", *services.PAYMENT_FIELDS, "checked_amount", "paid_amount", "paid_on"]


class PayIn(Schema):
    checked_amount: Decimal
    paid_amount: Decimal
    paid_on: dt.date


def _fund_out(fund: Fund) -> dict:
    return {
        **{
            name: getattr(fund, name)
            for name in services.FUND_FIELDS
            if name not in ("managing_body", "committee")
        },
        "id": fund.pk,
        "cooperation_id": fund.cooperation_id,
        "committee_id": fund.committee_id,
        "managing_body_id": fund.managing_body_id,
    }


@router.get("/funds", auth=optional_user_auth, response={200: list[FundOut], **ERROR_RESPONSES})
@paginate
def fund_list(request: HttpRequest, filters: Query[FundFilters]):
    cooperation = get_cooperation_for_user(request.user, str(filters.cooperation))
    funds = cooperation.funds.select_related("cooperation")
    return [_fund_out(fund) for fund in funds if permissions.can_view_fund(request.user, fund)]


@router.get("/funds/{fund_id}", auth=optional_user_auth, response={200: FundOut, **ERROR_RESPONSES})
def fund_detail(request: HttpRequest, fund_id: int):
    return _fund_out(permissions.get_fund_for_user(request.user, fund_id))


@router.get(
    "/funds/{fund_id}/envelopes",
    auth=optional_user_auth,
    response={200: list[PotOut], **ERROR_RESPONSES},
)
def fund_envelopes(request: HttpRequest, fund_id: int):
    """Each pot (a year, or the programme) with its envelopes' programmed, committed, paid and
    remaining amounts — the figures of the fund's page."""
    fund = permissions.get_fund_for_user(request.user, fund_id)
    return [
        {
            "year": pot.year,
            "currency": fund.currency,
            "amount": pot.amount,
            "programmed": pot.programmed,
            "committed": pot.committed,
            "paid": pot.paid,
            "remaining": pot.remaining,
            "envelopes": [
                {
                    "id": row.envelope.pk,
                    "funder_id": row.envelope.funder_id,
                    "funder": row.envelope.funder.name,
                    "year": row.envelope.year,
                    "amount": row.envelope.amount,
                    "programmed": row.programmed,
                    "committed": row.committed,
                    "paid": row.paid,
                    "remaining": row.remaining,
                    "amount_eur": row.amount_eur,
                    "rate_date": row.rate.valid_from if row.rate else None,
                }
                for row in pot.envelopes
            ],
        }
        for pot in selectors.envelope_figures(fund)
    ]


def _call_out(call: Call) -> dict:
    return {
        **{name: getattr(call, name) for name in ("id", *services.CALL_FIELDS)},
        "fund_id": call.fund_id,
        "is_open": call.is_open(),
    }


@router.get("/calls", auth=optional_user_auth, response={200: list[CallOut], **ERROR_RESPONSES})
@paginate
def call_list(request: HttpRequest, filters: Query[CallFilters]):
    from django.utils import timezone

    calls = Call.objects.select_related("fund__cooperation").order_by("-opens_at", "pk")
    if filters.fund is not None:
        calls = calls.filter(fund_id=filters.fund)
    if filters.open is True:
        calls = calls.open_at(timezone.now())
    elif filters.open is False:
        calls = calls.exclude(pk__in=Call.objects.open_at(timezone.now()).values("pk"))
    return [_call_out(call) for call in calls if permissions.can_view_fund(request.user, call.fund)]


@router.get("/calls/{call_id}", auth=optional_user_auth, response={200: CallOut, **ERROR_RESPONSES})
def call_detail(request: HttpRequest, call_id: int):
    return _call_out(permissions.get_call_for_user(request.user, call_id))


def _application(request: HttpRequest, application_id: int, *, edit: bool = False) -> Application:
    return permissions.get_application_for_user(request.user, application_id, edit=edit)


def _detail(application: Application) -> dict:
    application.refresh_from_db()
    return {
        **ApplicationOut.from_orm(application).dict(),
        "territory_ids": list(application.territories.values_list("pk", flat=True)),
        "partners": list(application.partners.all()),
        "budget": list(application.budget.all()),
        "other_funding": list(application.other_funding.all()),
        "problems": [
            {"field": problem.field, "message": problem.message}
            for problem in services.submission_problems(application)
        ]
        if application.status in permissions.APPLICANT_EDITS
        else [],
        "files": documents.file_urls(application),
    }


@router.get("/applications", response={200: list[ApplicationRowOut], **ERROR_RESPONSES})
@paginate
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]):
    """The applications the reader may see (a fund's staff: its applications; the others:
    their own and those they review), with the fund's page's filters."""
    fund = permissions.get_fund_for_user(request.user, filters.fund) if filters.fund else None
    visible = permissions.applications_visible_to(request.user, fund)
    return selectors.application_rows(selectors.filtered_applications(visible, filters))


@router.post("/applications", response={201: ApplicationDetailOut, **ERROR_RESPONSES})
def application_create(request: HttpRequest, payload: ApplicationIn):
    data = payload.dict()
    call = permissions.get_call_for_user(request.user, data.pop("call_id"))
    reference_in(data, "applicant", Organisation)
    reference_in(data, "measure", Measure, fund=call.fund)
    territories = objects_by_ids(Territory, data.pop("territory_ids"), "territory_ids")
    application = services.application_create(
        actor=authenticated_user(request), call=call, territories=territories, **data
    )
    return Status(201, _detail(application))


@router.get(
    "/applications/{application_id}", response={200: ApplicationDetailOut, **ERROR_RESPONSES}
)
def application_detail(request: HttpRequest, application_id: int):
    return _detail(_application(request, application_id))


@router.patch(
    "/applications/{application_id}", response={200: ApplicationDetailOut, **ERROR_RESPONSES}
)
def application_update(request: HttpRequest, application_id: int, payload: ApplicationPatch):
    application = _application(request, application_id, edit=True)
    data = payload.dict(exclude_unset=True)
    reference_in(data, "applicant", Organisation)
    reference_in(data, "measure", Measure, fund=application.call.fund)
    if data.get("territory_ids") is not None:
        data["territories"] = objects_by_ids(Territory, data.pop("territory_ids"), "territory_ids")
    data.pop("territory_ids", None)
    services.application_update(actor=authenticated_user(request), application=application, **data)
    return _detail(application)


@router.post(
    "/applications/{application_id}/partners",
    response={201: PartnerOut, **ERROR_RESPONSES},
)
def partner_add(request: HttpRequest, application_id: int, payload: PartnerIn):
    application = _application(request, application_id, edit=True)
    data = payload.dict()
    reference_in(data, "organisation", Organisation)
    partner = services.partner_add(
        actor=authenticated_user(request), application=application, **data
    )
    return Status(201, partner)


@router.post(
    "/applications/{application_id}/budget",
    response={201: BudgetLineOut, **ERROR_RESPONSES},
)
def budget_line_add(request: HttpRequest, application_id: int, payload: BudgetLineIn):
    application = _application(request, application_id, edit=True)
    line = services.budget_line_add(
        actor=authenticated_user(request), application=application, **payload.dict()
    )
    return Status(201, line)


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def application_submit(request: HttpRequest, application_id: int):
    """Submit: 400 with every rule that fails, 409 once the call is closed."""
    application = _application(request, application_id, edit=True)
    services.application_submit(actor=authenticated_user(request), application=application)
    return _detail(application)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def application_withdraw(request: HttpRequest, application_id: int, payload: ReasonIn):
    application = _application(request, application_id)
    services.application_withdraw(
        actor=authenticated_user(request), application=application, reason=payload.reason
    )
    return _detail(application)


@router.post(
    "/applications/{application_id}/screening",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def application_screen(request: HttpRequest, application_id: int, payload: ScreeningIn):
    application = _application(request, application_id)
    services.application_screen(
        actor=authenticated_user(request), application=application, **payload.dict()
    )
    return _detail(application)


@router.post(
    "/applications/{application_id}/invite",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def application_invite(request: HttpRequest, application_id: int, payload: InviteIn):
    """A two-step call: invite the applicant of an expression of interest to the full
    application."""
    application = _application(request, application_id)
    services.application_invite(
        actor=authenticated_user(request), application=application, reason=payload.reason
    )
    return _detail(application)


@router.post(
    "/applications/{application_id}/return",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def application_return(request: HttpRequest, application_id: int, payload: ReasonIn):
    application = _application(request, application_id)
    services.application_return(
        actor=authenticated_user(request), application=application, reason=payload.reason
    )
    return _detail(application)


@router.get(
    "/applications/{application_id}/reviews",
    response={200: list[ReviewOut], **ERROR_RESPONSES},
)
def review_list(request: HttpRequest, application_id: int):
    """A fund's staff read every review; a reviewer reads their own."""
    application = _application(request, application_id)
    reviews = application.reviews.order_by("pk")
    if not permissions.can_manage(request.user, application.call.fund):
        reviews = reviews.filter(reviewer=authenticated_user(request))
    return list(reviews)


@router.post(
    "/applications/{application_id}/reviews",
    response={201: ReviewOut, **ERROR_RESPONSES},
)
def reviewer_assign(request: HttpRequest, application_id: int, payload: ReviewerIn):
    application = _application(request, application_id)
    reviewer = object_by_id(User, payload.reviewer_id, "reviewer_id")
    review = services.reviewer_assign(
        actor=authenticated_user(request), application=application, reviewer=reviewer
    )
    return Status(201, review)


@router.put(
    "/applications/{application_id}/reviews/mine",
    response={200: ReviewOut, **ERROR_RESPONSES},
)
def review_submit(request: HttpRequest, application_id: int, payload: ReviewIn):
    """The reader's own review of an application assigned to them."""
    application = _application(request, application_id)
    review = application.reviews.filter(reviewer=authenticated_user(request)).first()
    if review is None:
        from django.http import Http404

        raise Http404
    services.review_submit(actor=authenticated_user(request), review=review, **payload.dict())
    return review


@router.post(
    "/applications/{application_id}/decision",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def application_decide(request: HttpRequest, application_id: int, payload: DecisionIn):
    """The committee's decision: 409 when it exceeds the envelope or misses the quorum."""
    application = _application(request, application_id)
    data = payload.dict()
    reference_in(data, "meeting", Meeting)
    reference_in(data, "project", Project)
    data["votes"] = services.Votes(**data["votes"]) if data.get("votes") else None
    services.application_decide(actor=authenticated_user(request), application=application, **data)
    return _detail(application)


@router.post(
    "/applications/{application_id}/convention",
    response={200: ApplicationDetailOut, **ERROR_RESPONSES},
)
def convention_sign(request: HttpRequest, application_id: int, payload: ConventionIn):
    application = _application(request, application_id)
    services.convention_sign(
        actor=authenticated_user(request), application=application, signed_on=payload.signed_on
    )
    return _detail(application)


@router.get(
    "/applications/{application_id}/payments",
    response={200: list[PaymentOut], **ERROR_RESPONSES},
)
def payment_list(request: HttpRequest, application_id: int):
    return list(_application(request, application_id).payments.all())


@router.post(
    "/applications/{application_id}/payments",
    response={201: PaymentOut, **ERROR_RESPONSES},
)
def payment_request(request: HttpRequest, application_id: int, payload: PaymentIn):
    application = _application(request, application_id)
    payment = services.payment_request(
        actor=authenticated_user(request), application=application, **payload.dict()
    )
    return Status(201, payment)


@router.post(
    "/applications/{application_id}/payments/{payment_id}/pay",
    response={200: PaymentOut, **ERROR_RESPONSES},
)
def payment_pay(request: HttpRequest, application_id: int, payment_id: int, payload: PayIn):
    application = _application(request, application_id)
    payment = object_by_id(Payment, payment_id, "payment_id", application=application)
    services.payment_pay(actor=authenticated_user(request), payment=payment, **payload.dict())
    return payment


@model_typed
class QuestionIn(ModelSchema):
    class Meta:
        model = Question
        fields = services.QUESTION_FIELDS


@model_typed
class QuestionOut(ModelSchema):
    class Meta:
        model = Question
        fields = ["id", "position", *services.QUESTION_FIELDS]


class AnswerOut(Schema):
    question_id: int
    value: str = Field(description="Le texte, le nombre ou le nom du fichier joint")
    file_url: str | None


class AnswersIn(Schema):
    answers: dict[int, str | None] = Field(
        description="Question → réponse (texte, nombre ou choix ; vide : l’effacer). Les "
        "fichiers se joignent par POST …/answers/{question_id}/file"
    )


@router.get(
    "/calls/{call_id}/questions",
    auth=optional_user_auth,
    response={200: list[QuestionOut], **ERROR_RESPONSES},
)
def question_list(request: HttpRequest, call_id: int):
    return list(permissions.get_call_for_user(request.user, call_id).questions.all())


@router.post("/calls/{call_id}/questions", response={201: QuestionOut, **ERROR_RESPONSES})
def question_add(request: HttpRequest, call_id: int, payload: QuestionIn):
    call = permissions.get_call_for_user(request.user, call_id)
    question = services.question_add(actor=authenticated_user(request), call=call, **payload.dict())
    return Status(201, question)


def _answers_out(application: Application) -> list[dict]:
    return [
        {
            "question_id": answer.question_id,
            "value": answer.shown,
            "file_url": reverse("funding:answer_file", args=[application.pk, answer.pk])
            if answer.file
            else None,
        }
        for answer in application.answers.select_related("question")
    ]


@router.get(
    "/applications/{application_id}/answers",
    response={200: list[AnswerOut], **ERROR_RESPONSES},
)
def answer_list(request: HttpRequest, application_id: int):
    return _answers_out(_application(request, application_id))


@router.put(
    "/applications/{application_id}/answers",
    response={200: list[AnswerOut], **ERROR_RESPONSES},
)
def answers_save(request: HttpRequest, application_id: int, payload: AnswersIn):
    application = _application(request, application_id, edit=True)
    questions = objects_by_ids(Question, list(payload.answers), "answers", call=application.call)
    by_id = {question.pk: question for question in questions}
    services.answers_save(
        actor=authenticated_user(request),
        application=application,
        answers={by_id[pk]: value for pk, value in payload.answers.items()},
    )
    return _answers_out(application)


@router.post(
    "/applications/{application_id}/answers/{question_id}/file",
    response={200: list[AnswerOut], **ERROR_RESPONSES},
)
def answer_file_add(
    request: HttpRequest, application_id: int, question_id: int, file: File[UploadedFile]
):
    """Join a file in answer to a question of kind "file" (multipart, field `file`)."""
    application = _application(request, application_id, edit=True)
    question = object_by_id(Question, question_id, "question_id", call=application.call)
    services.answers_save(
        actor=authenticated_user(request), application=application, answers={question: file}
    )
    return _answers_out(application)


class GrantExportFilters(Schema):
    fund: int
    format: str = Field(default="scdl", pattern="^scdl$")


@router.get("/grants/export", auth=optional_user_auth, response={200: None, **ERROR_RESPONSES})
def grants_export(request: HttpRequest, filters: Query[GrantExportFilters]):
    """The grants a fund decided and contracted, as CSV in the SCDL "subventions" 2.1.1
    layout."""
    fund = permissions.get_fund_for_user(request.user, filters.fund)
    response = HttpResponse(exports.scdl_csv(fund), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subventions-{fund.code}.csv"'
    return response
