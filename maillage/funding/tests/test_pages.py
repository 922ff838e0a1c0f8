"""The pages as each role, an application from its draft to its payment through the forms, the
refusals shown on the page, and fixed query counts."""

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.enums import Visibility
from maillage.core.testing import assert_constant_queries, assert_permission_matrix, count_queries
from maillage.funding import services
from maillage.funding.enums import ApplicationStatus, Outcome
from maillage.funding.tests.factories import draft
from maillage.projects.enums import FinancingStatus

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _getter(url: str) -> Callable[[Client], Any]:
    return lambda client: client.get(url)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_sees_the_fund_the_call_and_the_applications(fund, call, application, cast):
    everybody = dict.fromkeys(cast, 200)
    assert_permission_matrix(cast, _getter(fund.get_absolute_url()), everybody)
    assert_permission_matrix(cast, _getter(call.get_absolute_url()), everybody)
    staff_only = {**dict.fromkeys(cast, 403), "coordinator": 200, "staff": 200}
    url = reverse("funding:applications", args=[fund.pk])
    assert_permission_matrix(cast, _getter(url), staff_only)
    # An application: its applicant (Nadia, the outsider here) and the fund's staff only.
    readers = {**dict.fromkeys(cast, 404), "outsider": 200, "coordinator": 200, "staff": 200}
    assert_permission_matrix(cast, _getter(application.get_absolute_url()), readers)


def test_a_private_funds_pages_are_not_found_by_outsiders(fund, call, cast):
    services.fund_update(actor=None, fund=fund, visibility=Visibility.PARTNERS)
    members = dict.fromkeys(("observer", "funder", "project_contact", "body_member"), 200)
    expected = {"anonymous": 404, "outsider": 404, **members, "coordinator": 200, "staff": 200}
    assert_permission_matrix(cast, _getter(call.get_absolute_url()), expected)


def test_only_the_applicant_edits_and_only_staff_screen(application, cast, nadia):
    edit = reverse("funding:application_update", args=[application.pk])
    expected = {
        **dict.fromkeys(cast, 404),
        "anonymous": 302,
        "outsider": 200,
        "coordinator": 403,
        "staff": 403,
    }
    assert_permission_matrix(cast, _getter(edit), expected)
    services.application_submit(actor=nadia, application=application)
    screen = reverse("funding:application_screen", args=[application.pk])
    expected = {**dict.fromkeys(cast, 404), "anonymous": 302, "coordinator": 200, "staff": 200}
    assert_permission_matrix(cast, _getter(screen), expected)


def test_an_applicant_drafts_completes_and_submits_through_the_pages(call, nadia, mailoutbox):
    client = _client(nadia)
    page = client.get(call.get_absolute_url())
    assert "Déposer un dossier" in page.content.decode()
    area = call.fund.eligible_territories.get()
    from maillage.funding.tests.factories import organisation, territory

    applicant = organisation("Harmonie de Morteau", place=territory("Morteau", inside=area))
    morteau = applicant.territory
    response = client.post(
        reverse("funding:application_create", args=[call.pk]),
        {
            "applicant": applicant.pk,
            "contact_name": "Nadia",
            "contact_email": "nadia@exemple.test",
            "title": "Fête de la musique transfrontalière",
            "summary": "Des concerts.",
            "requested_amount": "5000",
            "territories": [morteau.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    application = call.applications.get()
    text = client.get(application.get_absolute_url()).content.decode()
    assert "Avant de déposer ce dossier" in text
    assert "deux côtés de la frontière" in text
    # Submitting now is refused, and says why.
    response = client.post(
        reverse("funding:application_submit", args=[application.pk]), follow=True
    )
    assert "deux côtés de la frontière" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT
    swiss = organisation("Ville du Locle", kind="swiss_authority")
    client.post(
        reverse("funding:partner_add", args=[application.pk]),
        {"organisation": swiss.pk, "country": "CH", "role": "Accueil"},
    )
    client.post(
        reverse("funding:budget_line_add", args=[application.pk]),
        {
            "category": "services",
            "label": "Scène",
            "amount": "20000",
            "currency": "CHF",
            "eligible": "on",
        },
    )
    response = client.post(
        reverse("funding:application_submit", args=[application.pk]), follow=True
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.number in response.content.decode()


def test_bad_input_is_explained_and_nothing_is_written(application, nadia):
    client = _client(nadia)
    response = client.post(
        reverse("funding:budget_line_add", args=[application.pk]),
        {"category": "services", "label": "Négatif", "amount": "-5", "currency": "XYZ"},
    )
    assert response.status_code == 200
    assert application.budget.count() == 1
    assert set(response.context["form"].errors) == {"amount", "currency"}
    response = client.post(
        reverse("funding:application_update", args=[application.pk]),
        {
            "applicant": application.applicant_id,
            "contact_name": "x",
            "contact_email": "x@exemple.test",
            "title": "t",
            "summary": "s",
            "requested_amount": "100",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "Le projet finit avant de commencer." in response.content.decode()
    application.refresh_from_db()
    assert application.title != "t"


def test_staff_screen_assign_decide_sign_and_pay_through_the_pages(
    application, nadia, claire, etienne
):
    services.application_submit(actor=nadia, application=application)
    staff = _client(claire)
    url = lambda name, *args: reverse(f"funding:{name}", args=[application.pk, *args])  # noqa: E731
    assert staff.post(url("application_screen"), {"eligible": "1"}).status_code == 302
    assert staff.post(url("reviewer_assign"), {"reviewer": etienne.pk}).status_code == 302
    reviewer = _client(etienne)
    assert reviewer.get(application.get_absolute_url()).status_code == 200
    assert reviewer.post(url("review"), {"comment": "Très bien"}).status_code == 302
    response = staff.post(
        url("application_decide"),
        {
            "outcome": Outcome.APPROVED,
            "granted_amount": "6000",
            "votes_for": "5",
            "votes_against": "-1",
        },
    )
    assert response.status_code == 200  # a negative count: refused on the form
    response = staff.post(
        url("application_decide"),
        {"outcome": Outcome.APPROVED, "granted_amount": "6000", "votes_for": "5"},
    )
    assert response.status_code == 302
    today = timezone.localdate().isoformat()
    assert staff.post(url("convention_sign"), {"signed_on": today}).status_code == 302
    applicant = _client(nadia)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = applicant.post(
        url("payment_request"),
        {
            "kind": "balance",
            "requested_amount": "6000",
            "statement": SimpleUploadedFile("etat.pdf", b"%PDF-1.4 etat"),
        },
    )
    assert response.status_code == 302
    payment = application.payments.get()
    statement = url("payment_statement", payment.pk)
    assert staff.get(statement).status_code == 200
    assert Client().get(statement).status_code == 404
    response = staff.post(
        url("payment_pay", payment.pk),
        {"checked_amount": "6000", "paid_amount": "6000", "paid_on": today},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.CLOSED
    assert application.financing_line.status == FinancingStatus.PAID
    # The portfolio's project page shows the fund's line.
    page = staff.get(application.project.get_absolute_url()).content.decode()
    assert application.call.fund.managing_body.name in page


def test_a_decision_over_the_envelope_is_refused_on_the_page(application, nadia, claire):
    services.application_submit(actor=nadia, application=application)
    services.application_screen(actor=claire, application=application, eligible=True)
    services.reviewer_assign(actor=claire, application=application, reviewer=claire)
    for envelope in application.call.fund.envelopes.all():
        services.envelope_update(actor=claire, envelope=envelope, amount=Decimal(2000))
    response = _client(claire).post(
        reverse("funding:application_decide", args=[application.pk]),
        {"outcome": Outcome.APPROVED, "granted_amount": "9000"},
    )
    assert response.status_code == 200
    assert "dépasse ce qui reste de l’enveloppe" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.ASSESSMENT


def test_the_lists_queries_stay_fixed_as_applications_grow(fund, call, claire, nadia):
    staff = _client(claire)
    urls = [
        reverse("funding:applications", args=[fund.pk]),
        fund.get_absolute_url(),
        call.get_absolute_url(),
    ]

    def grow():
        for _number in range(3):
            application = draft(call, nadia)
            services.application_submit(actor=nadia, application=application)
            services.application_screen(actor=claire, application=application, eligible=True)
            services.reviewer_assign(actor=claire, application=application, reviewer=claire)
            services.application_decide(
                actor=claire, application=application, outcome="approved", granted_amount=1000
            )

    grow()
    for url in urls:
        assert_constant_queries(partial(staff.get, url), grow)
    mine = _client(nadia)
    assert_constant_queries(lambda: mine.get(reverse("funding:my_applications")), grow)
    assert_constant_queries(lambda: staff.get(reverse("funding:my_reviews")), grow)
    assert (
        f"/dossiers/{call.applications.first().pk}/"
        in staff.get(reverse("funding:my_reviews")).content.decode()
    )
    assert count_queries(lambda: staff.get(urls[0])) < 25


def test_a_draft_names_its_fiche_action_through_the_form(fund, call, nadia):
    measure = services.measure_add(
        actor=None, fund=fund, code="FA1", title="Culture", criteria=[("Qualité", Decimal(10))]
    )
    from maillage.funding.tests.factories import organisation

    applicant = organisation("Harmonie", place=fund.eligible_territories.get())
    response = _client(nadia).post(
        reverse("funding:application_create", args=[call.pk]),
        {
            "applicant": applicant.pk,
            "measure": measure.pk,
            "contact_name": "Nadia",
            "contact_email": "nadia@exemple.test",
            "title": "Concerts",
            "summary": "Des concerts.",
            "requested_amount": "5000",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert call.applications.get().measure == measure


def test_staff_add_envelopes_and_fiches_actions_through_the_forms(fund, claire, nadia):
    staff = _client(claire)
    response = staff.post(
        reverse("funding:measure_add", args=[fund.pk]),
        {"code": "FA9", "title": "Culture", "criteria": "Qualité ; 12\nPartenariat;11"},
    )
    assert response.status_code == 302
    measure = fund.measures.get(code="FA9")
    assert [(c.label, c.max_points) for c in measure.criteria.all()] == [
        ("Qualité", Decimal(12)),
        ("Partenariat", Decimal(11)),
    ]
    refused = staff.post(
        reverse("funding:measure_add", args=[fund.pk]),
        {"code": "FA8", "title": "Sport", "criteria": "sans points"},
    )
    assert refused.status_code == 200 and not fund.measures.filter(code="FA8").exists()
    year = timezone.localdate().year
    response = staff.post(
        reverse("funding:envelope_add", args=[fund.pk]),
        {"funder": fund.managing_body_id, "year": year, "amount": "5000"},
    )
    assert response.status_code == 302
    assert fund.envelopes.count() == 4
    outsider = _client(nadia).post(
        reverse("funding:envelope_add", args=[fund.pk]),
        {"funder": fund.managing_body_id, "year": year, "amount": "5000"},
    )
    assert outsider.status_code == 403 and fund.envelopes.count() == 4


def test_a_coordinator_creates_a_fund_and_its_call_through_the_forms(cooperation, claire, oscar):
    from maillage.funding.models import Fund
    from maillage.funding.tests.factories import organisation

    managing = organisation("Pays", kind="pays")
    staff = _client(claire)
    url = reverse("funding:fund_create", args=[cooperation.slug])
    assert _client(oscar).get(url).status_code == 403
    response = staff.post(
        url,
        {
            "name": "LEADER",
            "code": "leader",
            "managing_body": managing.pk,
            "currency": "EUR",
            "envelope_period": "programme",
            "max_aid_rate": "80",
            "min_aid": "5000",
            "max_aid": "1000",  # below the minimum: refused, and nothing written
            "visibility": "partners",
        },
    )
    assert response.status_code == 200 and not Fund.objects.exists()
    assert "L’aide minimale dépasse l’aide maximale." in response.content.decode()
    response = staff.post(
        url,
        {
            "name": "LEADER",
            "code": "leader",
            "managing_body": managing.pk,
            "currency": "EUR",
            "envelope_period": "programme",
            "eligible_applicant_kinds": ["association", "local_authority"],
            "visibility": "partners",
        },
    )
    assert response.status_code == 302, response.content.decode()
    fund = Fund.objects.get()
    assert fund.eligible_applicant_kinds == ["association", "local_authority"]
    response = staff.post(
        reverse("funding:call_create", args=[fund.pk]),
        {
            "title": "Au fil de l’eau",
            "opens_at": "2026-01-01T00:00",
            "closes_at": "2025-01-01T00:00",
        },
    )
    assert response.status_code == 200 and not fund.calls.exists()  # closes before it opens
    response = staff.post(
        reverse("funding:call_create", args=[fund.pk]),
        {
            "title": "Au fil de l’eau",
            "opens_at": "2026-01-01T00:00",
            "closes_at": "2027-12-31T00:00",
        },
    )
    assert response.status_code == 302 and fund.calls.count() == 1


def test_the_committees_meeting_lists_the_applications_to_decide(call, claire, nadia, oscar):
    import datetime as dt

    from maillage.governance import services as governance_services

    body = governance_services.body_create(
        actor=None, cooperation=call.fund.cooperation, name="Comité", kind="steering_committee"
    )
    services.fund_update(actor=None, fund=call.fund, committee=body)
    start = timezone.now() + dt.timedelta(days=3)
    meeting = governance_services.meeting_create(
        actor=None,
        cooperation=call.fund.cooperation,
        body=body,
        title="Comité de sélection",
        start=start,
        end=start + dt.timedelta(hours=2),
    )

    def grow():
        application = draft(call, nadia)
        services.application_submit(actor=nadia, application=application)
        services.application_screen(actor=claire, application=application, eligible=True)
        services.reviewer_assign(actor=claire, application=application, reviewer=claire)
        return application

    first = grow()
    staff = _client(claire)
    page = staff.get(meeting.get_absolute_url()).content.decode()
    assert "Dossiers à décider" in page and first.number in page
    assert first.number not in _client(oscar).get(meeting.get_absolute_url()).content.decode()
    assert_constant_queries(lambda: staff.get(meeting.get_absolute_url()), grow)


def test_a_calls_fiches_actions_change_through_its_form_and_the_service(fund, call, claire):
    measure = services.measure_add(actor=None, fund=fund, code="FA1", title="Culture")
    response = _client(claire).post(
        reverse("funding:call_update", args=[call.pk]),
        {
            "title": call.title,
            "opens_at": timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M"),
            "measures": [measure.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert list(call.measures.all()) == [measure]
    from maillage.core.history import history_for

    assert any("Appel à projets modifié" in entry.comment for entry in history_for(call))
