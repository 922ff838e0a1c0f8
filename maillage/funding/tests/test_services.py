"""The business rules of a fund, from the draft to the last payment."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillage.core.exceptions import Conflict
from maillage.directory.models import Person, Position
from maillage.funding import selectors, services
from maillage.funding.enums import ApplicationStatus, Outcome, PaymentKind
from maillage.funding.models import Application, Review
from maillage.funding.tests.factories import draft, open_call, organisation, territory
from maillage.governance import services as governance_services
from maillage.governance.enums import AttendanceStatus, BodyKind, College
from maillage.projects import services as project_services
from maillage.projects.enums import FinancingStatus, ProjectStatus

S = ApplicationStatus


def submitted(application, nadia):
    return services.application_submit(actor=nadia, application=application)


def in_assessment(application, claire, nadia, reviewer=None):
    submitted(application, nadia)
    services.application_screen(actor=claire, application=application, eligible=True)
    return services.reviewer_assign(
        actor=claire, application=application, reviewer=reviewer or claire
    )


def granted(application, claire, nadia, amount="8000"):
    in_assessment(application, claire, nadia)
    return services.application_decide(
        actor=claire, application=application, outcome=Outcome.APPROVED, granted_amount=amount
    )


# Submission and the fund's rules


def test_a_draft_meeting_every_rule_is_submitted_with_a_number_and_a_receipt(
    application, nadia, mailoutbox, django_capture_on_commit_callbacks
):
    assert services.submission_problems(application) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=nadia, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.number == f"FPPT-{timezone.localdate().year}-001"
    assert application.submitted_at is not None
    assert [change.status_after for change in application.status_changes.all()] == [
        S.DRAFT,
        S.SUBMITTED,
    ]
    receipt = mailoutbox[-1]
    assert application.number in receipt.subject
    assert "camille@exemple.test" in receipt.to
    ((name, pdf, kind),) = receipt.attachments
    assert (name, kind) == (f"accuse-reception-{application.number.lower()}.pdf", "application/pdf")
    import io

    from pypdf import PdfReader

    assert application.number in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_numbers_follow_each_other_in_a_fund(call, nadia):
    first, second = draft(call, nadia), draft(call, nadia)
    services.application_submit(actor=nadia, application=second)
    services.application_submit(actor=nadia, application=first)
    year = timezone.localdate().year
    assert (second.number, first.number) == (f"FPPT-{year}-001", f"FPPT-{year}-002")


def _refused_on(application, nadia, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=nadia, application=application)
    assert words in " ".join(refused.value.message_dict[field])
    application.refresh_from_db()
    assert (application.status, application.number, application.submitted_at) == (
        S.DRAFT,
        "",
        None,
    )


def test_an_aid_over_the_cap_is_refused_and_says_the_cap(call, nadia):
    application = draft(call, nadia, requested="12000")
    _refused_on(application, nadia, "requested_amount", "10\xa0000 CHF")


def test_a_budget_over_the_maximum_is_refused(call, nadia):
    application = draft(call, nadia, budget="150000")
    _refused_on(application, nadia, "budget", "100\xa0000 CHF")


def test_a_project_without_a_partner_across_the_border_is_refused(call, nadia):
    application = draft(call, nadia, partner=False)
    _refused_on(application, nadia, "partners", "deux côtés de la frontière")


def test_a_project_outside_the_eligible_territories_is_refused(call, nadia):
    application = draft(call, nadia)
    application.territories.set([territory("Brest")])
    _refused_on(application, nadia, "territories", "Territoire de proximité")


def test_the_eligible_territory_itself_counts(call, nadia):
    application = draft(call, nadia)
    application.territories.set(call.fund.eligible_territories.all())
    assert services.submission_problems(application) == []


def test_an_aid_rate_and_the_applicant_kinds_are_checked(fund, call, nadia):
    services.fund_update(
        actor=None, fund=fund, max_aid_rate=Decimal(15), eligible_applicant_kinds=["company"]
    )
    application = draft(call, nadia, requested="8000", budget="40000")
    fields = {problem.field for problem in services.submission_problems(application)}
    assert fields == {"requested_amount", "applicant"}  # 8 000 > 15 % of 40 000 = 6 000


def test_a_budget_in_another_currency_is_converted_to_the_funds(call, nadia):
    application = draft(call, nadia, budget="40000")
    services.budget_line_add(
        actor=nadia,
        application=application,
        category="travel",
        label="Déplacements",
        amount=Decimal(70000),
        currency="EUR",
    )
    facts = selectors.application_facts(application)
    # 70 000 € at 1.05 € per franc: 66 666.67 CHF, over the 100 000 CHF budget with the rest.
    assert facts.budget_total == Decimal("106666.67")
    assert "budget" in {problem.field for problem in services.submission_problems(application)}


def test_a_submission_after_the_closing_time_is_refused(call, application, nadia):
    later = call.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(Conflict, match="clos"):
        services.application_submit(actor=nadia, application=application, now=later)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_only_the_applicant_submits_and_edits_and_not_once_submitted(application, nadia, claire):
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=claire, application=application)
    with pytest.raises(PermissionDenied):
        services.application_update(actor=claire, application=application, title="Autre")
    submitted(application, nadia)
    with pytest.raises(Conflict):
        services.application_update(actor=nadia, application=application, title="Autre")
    with pytest.raises(Conflict):
        services.budget_line_add(
            actor=nadia, application=application, category="other", label="x", amount=1
        )


def test_a_returned_application_is_completed_and_submitted_again(application, nadia, claire):
    submitted(application, nadia)
    number = application.number
    with pytest.raises(ValidationError):
        services.application_return(actor=claire, application=application, reason=" ")
    services.application_return(actor=claire, application=application, reason="Devis manquant")
    services.application_update(actor=nadia, application=application, summary="Avec devis")
    services.application_submit(actor=nadia, application=application)
    application.refresh_from_db()
    assert (application.status, application.number) == (S.SUBMITTED, number)


def test_the_applicant_withdraws_before_the_decision_only(application, nadia, claire):
    granted(application, claire, nadia)
    with pytest.raises(Conflict):
        services.application_withdraw(actor=nadia, application=application)


# Screening and assessment


def test_an_ineligible_application_needs_its_reason(
    application, nadia, claire, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(application, nadia)
    with pytest.raises(ValidationError):
        services.application_screen(actor=claire, application=application, eligible=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_screen(
            actor=claire, application=application, eligible=False, reason="Hors axe 4"
        )
    assert application.status_changes.last().reason == "Hors axe 4"
    assert "Hors axe 4" in mailoutbox[-1].body


def test_only_the_funds_staff_screen(application, nadia, oscar):
    submitted(application, nadia)
    with pytest.raises(PermissionDenied):
        services.application_screen(actor=oscar, application=application, eligible=True)


def _measure(fund):
    return services.measure_add(
        actor=None,
        fund=fund,
        code="FA1",
        title="Culture",
        pass_threshold=Decimal(10),
        criteria=[("Dimension transfrontalière", Decimal(12)), ("Qualité", Decimal(11))],
    )


def test_a_reviewer_scores_each_criterion_within_its_maximum(fund, application, nadia, claire):
    measure = _measure(fund)
    services.application_update(actor=nadia, application=application, measure=measure)
    review = in_assessment(application, claire, nadia)
    first, second = measure.criteria.all()
    with pytest.raises(ValidationError, match="Notez chaque critère"):
        services.review_submit(actor=claire, review=review, scores={first.pk: 5})
    with pytest.raises(ValidationError, match="de 0 à 11"):
        services.review_submit(actor=claire, review=review, scores={first.pk: 5, second.pk: 12})
    services.review_submit(actor=claire, review=review, scores={first.pk: 8, second.pk: "6.5"})
    review.refresh_from_db()
    assert review.total == Decimal("14.5")
    ranked: Any = selectors.call_ranking(Application.objects.all())
    assert [row.average for row in ranked] == [Decimal("14.5")]


def test_a_reviewer_of_the_applicants_organisation_must_declare_the_conflict(
    fund, application, nadia, claire
):
    measure = _measure(fund)
    services.application_update(actor=nadia, application=application, measure=measure)
    review = in_assessment(application, claire, nadia)
    person = Person.objects.create(first_name="Claire", last_name="C", user=claire)
    Position.objects.create(
        person=person, organisation=application.applicant, title="Trésorière", kind="other"
    )
    scores = {criterion.pk: 1 for criterion in measure.criteria.all()}
    with pytest.raises(ValidationError, match="conflit"):
        services.review_submit(actor=claire, review=review, scores=scores)
    services.review_submit(
        actor=claire, review=review, conflict=True, conflict_note="Trésorière du porteur"
    )
    review.refresh_from_db()
    assert (review.conflict, review.total, review.scores.count()) == (True, None, 0)


def test_only_the_assigned_reviewer_reviews(application, nadia, claire, oscar):
    review = in_assessment(application, claire, nadia)
    with pytest.raises(PermissionDenied):
        services.review_submit(actor=oscar, review=review)


# Decision, portfolio and envelope


def test_a_grant_becomes_the_portfolios_financing_line(
    application, nadia, claire, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        granted(application, claire, nadia, amount="7500")
    application.refresh_from_db()
    assert (application.status, application.outcome) == (S.DECIDED, Outcome.APPROVED)
    project = application.project
    assert project.cooperation == application.call.fund.cooperation
    assert project.status == ProjectStatus.READY
    assert project.owner == application.applicant
    line = application.financing_line
    assert (line.project, line.amount, line.currency, line.status) == (
        project,
        Decimal("7500.00"),
        "CHF",
        FinancingStatus.GRANTED,
    )
    assert line.funder == application.call.fund.managing_body
    assert "7\xa0500 CHF" in mailoutbox[-1].body


def test_the_funds_line_is_not_edited_by_hand(application, nadia, claire):
    granted(application, claire, nadia)
    line = application.financing_line
    with pytest.raises(Conflict, match="suit le dossier"):
        project_services.financing_update(actor=claire, line=line, amount=1)
    with pytest.raises(Conflict):
        project_services.financing_delete(actor=claire, line=line)


def test_a_decision_over_the_cap_is_refused(application, nadia, claire):
    in_assessment(application, claire, nadia)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=claire, application=application, outcome=Outcome.APPROVED, granted_amount=10001
        )


def test_a_decision_exceeding_the_envelope_is_refused_with_the_figures(fund, call, nadia, claire):
    for _number in range(10):
        granted(draft(call, nadia), claire, nadia, amount="10000")
    last = draft(call, nadia)
    in_assessment(last, claire, nadia)
    with pytest.raises(Conflict) as refused:
        services.application_decide(
            actor=claire, application=last, outcome=Outcome.APPROVED, granted_amount="0.01"
        )
    assert "reste de l’enveloppe" in str(refused.value)
    assert "(100\xa0000 CHF, dont 100\xa0000 CHF déjà programmés)" in str(refused.value)
    last.refresh_from_db()
    assert (last.status, last.granted_amount, last.project) == (S.ASSESSMENT, None, None)


def test_the_envelopes_share_each_grant_by_their_amounts(fund, call, nadia, claire):
    application = draft(call, nadia)
    granted(application, claire, nadia, amount="8000")
    (pot,) = selectors.envelope_figures(fund)
    assert (pot.amount, pot.programmed, pot.remaining) == (
        Decimal(100000),
        Decimal(8000),
        Decimal(92000),
    )
    assert [row.programmed for row in pot.envelopes] == [
        Decimal(4000),
        Decimal(2000),
        Decimal(2000),
    ]
    assert pot.envelopes[0].amount_eur == Decimal("52500.00")  # 50 000 CHF at 1.05
    services.convention_sign(actor=claire, application=application, signed_on=timezone.localdate())
    payment = services.payment_request(
        actor=nadia, application=application, kind=PaymentKind.ADVANCE, requested_amount=3000
    )
    services.payment_pay(
        actor=claire,
        payment=payment,
        checked_amount=3000,
        paid_amount=3000,
        paid_on=timezone.localdate(),
    )
    (pot,) = selectors.envelope_figures(fund)
    assert (pot.committed, pot.paid) == (Decimal(8000), Decimal(3000))
    assert [row.paid for row in pot.envelopes] == [Decimal(1500), Decimal(750), Decimal(750)]


def test_a_postponed_application_is_decided_again_and_a_rejected_one_makes_no_project(
    application, call, nadia, claire
):
    in_assessment(application, claire, nadia)
    services.application_decide(actor=claire, application=application, outcome=Outcome.POSTPONED)
    services.application_decide(
        actor=claire, application=application, outcome=Outcome.APPROVED, granted_amount=5000
    )
    with pytest.raises(Conflict, match="déjà décidé"):
        services.application_decide(actor=claire, application=application, outcome=Outcome.REJECTED)
    other = draft(call, nadia)
    in_assessment(other, claire, nadia)
    services.application_decide(actor=claire, application=other, outcome=Outcome.REJECTED)
    other.refresh_from_db()
    assert (other.project, other.financing_line, other.granted_amount) == (None, None, None)


def test_approval_with_conditions_needs_them(application, nadia, claire):
    in_assessment(application, claire, nadia)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=claire,
            application=application,
            outcome=Outcome.APPROVED_WITH_CONDITIONS,
            granted_amount=5000,
        )


def _committee(fund, claire, members):
    """A programming committee whose members sit in colleges (`members`: college per member)
    and a meeting of it."""
    body = governance_services.body_create(
        actor=None,
        cooperation=fund.cooperation,
        name="Comité de programmation",
        kind=BodyKind.STEERING_COMMITTEE,
    )
    people = []
    for index, college in enumerate(members):
        person = Person.objects.create(first_name=f"Membre {index}", last_name="GAL")
        governance_services.body_member_add(actor=None, body=body, person=person, college=college)
        people.append(person)
    start = timezone.now() - dt.timedelta(hours=2)
    meeting = governance_services.meeting_create(
        actor=None,
        cooperation=fund.cooperation,
        body=body,
        title="Comité",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    services.fund_update(actor=None, fund=fund, committee=body, double_quorum=True)
    return meeting, people


def test_the_double_quorum_is_checked_and_the_decision_registered(fund, application, nadia, claire):
    colleges = [College.PUBLIC] * 4 + [College.PRIVATE] * 4
    meeting, people = _committee(fund, claire, colleges)
    in_assessment(application, claire, nadia)
    # Four present out of eight, but only one of them private: the second quorum fails.
    for person in people[:3] + people[4:5]:
        governance_services.attendance_record(
            actor=None, meeting=meeting, person=person, status=AttendanceStatus.PRESENT
        )
    decide = {"actor": claire, "application": application, "outcome": "approved"}
    with pytest.raises(Conflict, match="Double quorum non atteint : 4 présents sur 8"):
        services.application_decide(**decide, granted_amount=5000, meeting=meeting)
    with pytest.raises(ValidationError):
        services.application_decide(**decide, granted_amount=5000)  # no meeting
    governance_services.attendance_record(
        actor=None, meeting=meeting, person=people[5], status=AttendanceStatus.PRESENT
    )
    governance_services.attendance_remove(
        actor=None, attendance=meeting.attendance.get(person=people[0])
    )
    with pytest.raises(ValidationError, match="9 voix pour 4 membres votants"):
        services.application_decide(
            **decide, granted_amount=5000, meeting=meeting, votes=services.Votes(7, 1, 1)
        )
    services.application_decide(
        **decide, granted_amount=5000, meeting=meeting, votes=services.Votes(3, 0, 1)
    )
    application.refresh_from_db()
    decision = application.decision
    assert "Votes : 3 pour, 0 contre, 1 abstention." in decision.text
    assert decision.meeting == meeting
    assert list(decision.projects.all()) == [application.project]
    assert application.project.journal.filter(text__contains=application.number).exists()


# Convention and payments


def test_payments_follow_the_convention_and_the_balance_closes(application, nadia, claire):
    granted(application, claire, nadia, amount="8000")
    with pytest.raises(Conflict):
        services.payment_request(
            actor=nadia, application=application, kind=PaymentKind.ADVANCE, requested_amount=100
        )
    with pytest.raises(ValidationError):
        services.convention_sign(
            actor=claire, application=application, signed_on=dt.date(2000, 1, 1)
        )
    services.convention_sign(actor=claire, application=application, signed_on=timezone.localdate())
    with pytest.raises(ValidationError, match="Il reste"):
        services.payment_request(
            actor=nadia, application=application, kind=PaymentKind.BALANCE, requested_amount=9000
        )
    balance = services.payment_request(
        actor=nadia, application=application, kind=PaymentKind.BALANCE, requested_amount=8000
    )
    with pytest.raises(ValidationError):
        services.payment_pay(
            actor=claire,
            payment=balance,
            checked_amount=7000,
            paid_amount=7500,
            paid_on=timezone.localdate(),
        )
    services.payment_pay(
        actor=claire,
        payment=balance,
        checked_amount=7800,
        paid_amount=7800,
        paid_on=timezone.localdate(),
    )
    application.refresh_from_db()
    line = application.financing_line
    assert application.status == S.CLOSED
    assert (line.status, line.paid_on) == (FinancingStatus.PAID, timezone.localdate())
    with pytest.raises(Conflict):
        services.payment_pay(
            actor=claire,
            payment=balance,
            checked_amount=1,
            paid_amount=1,
            paid_on=timezone.localdate(),
        )


def test_leader_expenses_before_the_receipt_are_not_eligible(fund, application, nadia, claire):
    services.fund_update(actor=None, fund=fund, expenses_after_receipt=True)
    granted(application, claire, nadia)
    services.convention_sign(actor=claire, application=application, signed_on=timezone.localdate())
    before = timezone.localdate(application.submitted_at) - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="antérieures au dépôt"):
        services.payment_request(
            actor=nadia,
            application=application,
            kind=PaymentKind.INSTALMENT,
            requested_amount=100,
            expenses_from=before,
        )
    assert not application.payments.exists()


def test_the_cooperations_deletion_takes_its_funds(fund, application, alix):
    from maillage.cooperations import services as cooperation_services

    cooperation_services.cooperation_delete(actor=alix, cooperation=fund.cooperation)
    assert not Application.objects.exists()
    assert not Review.objects.exists()


def test_a_fund_with_applications_is_not_deleted(fund, application, claire):
    with pytest.raises(Conflict):
        services.fund_delete(actor=claire, fund=fund)


def test_a_partner_is_not_the_applicant_and_not_twice(application, nadia):
    with pytest.raises(ValidationError):
        services.partner_add(
            actor=nadia, application=application, organisation=application.applicant, country="FR"
        )
    partner = application.partners.get()
    with pytest.raises(ValidationError):
        services.partner_add(
            actor=nadia, application=application, organisation=partner.organisation, country="CH"
        )


def test_an_envelope_follows_the_funds_period(fund):
    with pytest.raises(ValidationError):
        services.envelope_add(
            actor=None, fund=fund, funder=organisation("Autre"), amount=Decimal(1)
        )


def test_a_call_closes_after_it_opens(fund):
    now = timezone.now()
    with pytest.raises(ValidationError):
        open_call(fund, opens_at=now, closes_at=now)


def test_a_grant_may_join_a_project_already_in_the_portfolio(application, nadia, claire):
    from maillage.cooperations.models import Cooperation

    existing = project_services.project_create(
        actor=None, cooperation=application.call.fund.cooperation, title="Festival existant"
    )
    in_assessment(application, claire, nadia)
    services.application_decide(
        actor=claire,
        application=application,
        outcome=Outcome.APPROVED,
        granted_amount=5000,
        project=existing,
    )
    application.refresh_from_db()
    assert application.project == existing
    assert list(existing.financing.values_list("amount", flat=True)) == [Decimal("5000.00")]
    other_cooperation = Cooperation.objects.create(title="Autre", slug="autre", kind="other")
    elsewhere = project_services.project_create(
        actor=None, cooperation=other_cooperation, title="Ailleurs"
    )
    other = draft(application.call, nadia)
    in_assessment(other, claire, nadia)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=claire, application=other, outcome="approved", granted_amount=1, project=elsewhere
        )
    other.refresh_from_db()
    assert (other.status, other.project) == (S.ASSESSMENT, None)
