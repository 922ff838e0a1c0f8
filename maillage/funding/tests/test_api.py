"""The API as each role: an application from its draft to its payment, bad input and nothing
written, the same figures and lists as the pages, and the SCDL export."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.testing import assert_permission_matrix
from maillage.funding import services
from maillage.funding.enums import ApplicationStatus
from maillage.funding.templatetags.funding import amount
from maillage.funding.tests.factories import draft, organisation, territory

pytestmark = pytest.mark.django_db
API = "/api/v1"
S = ApplicationStatus


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, data: dict | None = None):
    return client.post(f"{API}{url}", data or {}, content_type="application/json")


def test_an_application_from_its_draft_to_its_payment(call, nadia, claire):
    applicant = _client(nadia)
    area = call.fund.eligible_territories.get()
    association = organisation("Harmonie", place=territory("Morteau", inside=area))
    created = _post(
        applicant,
        "/applications",
        {
            "call_id": call.pk,
            "applicant_id": association.pk,
            "contact_name": "Nadia",
            "contact_email": "nadia@exemple.test",
            "title": "Concerts",
            "summary": "Des concerts.",
            "requested_amount": "5000",
            "territory_ids": [association.territory_id],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {problem["field"] for problem in body["problems"]} == {"partners", "budget"}
    pk = body["id"]
    refused = _post(applicant, f"/applications/{pk}/submit")
    assert refused.status_code == 400
    assert {error["field"] for error in refused.json()["errors"]} >= {"partners", "budget"}
    swiss = organisation("Le Locle", kind="swiss_authority")
    partner = _post(
        applicant, f"/applications/{pk}/partners", {"organisation_id": swiss.pk, "country": "CH"}
    )
    assert partner.status_code == 201, partner.json()
    line = {"category": "services", "label": "Scène", "amount": "20000", "currency": "CHF"}
    assert _post(applicant, f"/applications/{pk}/budget", line).status_code == 201
    submitted = _post(applicant, f"/applications/{pk}/submit")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == S.SUBMITTED

    staff = _client(claire)
    assert _post(staff, f"/applications/{pk}/screening", {"eligible": True}).status_code == 200
    assigned = _post(staff, f"/applications/{pk}/reviews", {"reviewer_id": claire.pk})
    assert assigned.status_code == 201
    review = staff.put(
        f"{API}/applications/{pk}/reviews/mine",
        {"comment": "Bien"},
        content_type="application/json",
    )
    assert review.status_code == 200, review.json()
    decided = _post(
        staff, f"/applications/{pk}/decision", {"outcome": "approved", "granted_amount": "4000"}
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["project_id"] is not None
    today = timezone.localdate().isoformat()
    assert _post(staff, f"/applications/{pk}/convention", {"signed_on": today}).status_code == 200
    payment = _post(
        applicant, f"/applications/{pk}/payments", {"kind": "balance", "requested_amount": "4000"}
    )
    assert payment.status_code == 201, payment.json()
    paid = _post(
        staff,
        f"/applications/{pk}/payments/{payment.json()['id']}/pay",
        {"checked_amount": "4000", "paid_amount": "4000", "paid_on": today},
    )
    assert paid.status_code == 200
    assert staff.get(f"{API}/applications/{pk}").json()["status"] == S.CLOSED


def test_who_may_do_what_with_an_application(application, cast, nadia):
    url = f"{API}/applications/{application.pk}"
    readers = {
        **dict.fromkeys(cast, 404),
        "anonymous": 401,
        "outsider": 200,
        "coordinator": 200,
        "staff": 200,
    }
    assert_permission_matrix(cast, lambda c: c.get(url), readers)
    services.application_submit(actor=nadia, application=application)
    screening = {**readers, "outsider": 403}
    assert_permission_matrix(
        cast,
        lambda c: c.post(f"{url}/screening", {"eligible": False}, content_type="application/json"),
        {**screening, "coordinator": 400, "staff": 400},  # the reason is missing
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_the_list_shows_each_reader_what_they_may_see(fund, call, application, claire, oscar):
    other = draft(call, claire)
    assert [row["id"] for row in _client(claire).get(f"{API}/applications").json()["items"]] == [
        other.pk,
        application.pk,
    ]
    assert _client(oscar).get(f"{API}/applications").json()["count"] == 0
    own = _client(application.created_by).get(f"{API}/applications?fund={fund.pk}").json()
    assert [row["id"] for row in own["items"]] == [application.pk]


def test_a_submission_after_the_closing_is_a_conflict(call, application, nadia):
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    response = _post(_client(nadia), f"/applications/{application.pk}/submit")
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_absurd_amounts_and_unknown_currencies_are_refused(application, nadia):
    client = _client(nadia)
    for line in (
        {"category": "services", "label": "x", "amount": "-1", "currency": "CHF"},
        {"category": "services", "label": "x", "amount": "1e20", "currency": "CHF"},
        {"category": "services", "label": "x", "amount": "10", "currency": "XYZ"},
    ):
        assert _post(client, f"/applications/{application.pk}/budget", line).status_code == 400
    assert application.budget.count() == 1
    reversed_dates = client.patch(
        f"{API}/applications/{application.pk}",
        {"start_date": "2026-05-01", "end_date": "2026-04-01"},
        content_type="application/json",
    )
    assert reversed_dates.status_code == 400


def test_the_envelopes_are_the_same_in_the_api_and_on_the_page(fund, application, nadia, claire):
    services.application_submit(actor=nadia, application=application)
    services.application_screen(actor=claire, application=application, eligible=True)
    services.reviewer_assign(actor=claire, application=application, reviewer=claire)
    services.application_decide(
        actor=claire, application=application, outcome="approved", granted_amount="6543.21"
    )
    (pot,) = _client(claire).get(f"{API}/funds/{fund.pk}/envelopes").json()
    assert (pot["amount"], pot["programmed"], pot["remaining"]) == (
        "100000.00",
        "6543.21",
        "93456.79",
    )
    page = _client(claire).get(fund.get_absolute_url()).content.decode()
    for envelope in pot["envelopes"]:
        for figure in ("programmed", "remaining"):
            assert amount(Decimal(envelope[figure])) in page


def test_the_page_and_the_api_list_the_same_applications(fund, call, application, claire, nadia):
    services.application_submit(actor=nadia, application=application)
    other = draft(call, claire)
    client = _client(claire)
    for page_query, api_query in (("statut=submitted", "status=submitted"), ("q=zzz", "q=zzz")):
        api = client.get(f"{API}/applications?fund={fund.pk}&{api_query}").json()
        page = client.get(f"{reverse('funding:applications', args=[fund.pk])}?{page_query}")
        listed = {row["id"] for row in page.context["page_obj"].object_list}
        assert listed == {row["id"] for row in api["items"]}
    assert other.pk not in listed


def test_the_scdl_export_validates_against_the_official_schema(
    fund, application, nadia, claire, tmp_path
):
    from frictionless import Resource, Schema

    from maillage.funding.exports import SCDL_SCHEMA

    services.application_submit(actor=nadia, application=application)
    services.application_screen(actor=claire, application=application, eligible=True)
    services.reviewer_assign(actor=claire, application=application, reviewer=claire)
    services.application_decide(
        actor=claire, application=application, outcome="approved", granted_amount="8000"
    )
    services.convention_sign(actor=claire, application=application, signed_on=timezone.localdate())
    response = Client().get(f"{API}/grants/export?fund={fund.pk}&format=scdl")
    assert response.status_code == 200
    text = response.content.decode()
    path = tmp_path / "subventions.csv"
    path.write_text(text, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads(SCDL_SCHEMA.read_text(encoding="utf-8")))
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    broken = tmp_path / "broken.csv"  # the validator does refuse a SIRET of 13 digits
    broken.write_text(text.replace(",13002526500013,", ",1300252650001,"), encoding="utf-8")
    assert not Resource(path=broken.name, basepath=str(tmp_path), schema=schema).validate().valid
    header, row = text.splitlines()
    assert header.startswith("nomAttribuant,idAttribuant,dateConvention")
    assert "8400.00" in row  # 8 000 CHF at 1.05 €: the SCDL amounts are in euros
    page = _client(claire).get(reverse("funding:grants_export", args=[fund.pk]))
    assert page.content.decode() == text


def test_the_receipt_and_the_convention_say_what_they_must(application, nadia, claire):
    import io

    from odf.opendocument import load
    from pypdf import PdfReader

    services.application_submit(actor=nadia, application=application)
    client = _client(nadia)
    files = client.get(f"{API}/applications/{application.pk}").json()["files"]
    assert set(files) == {"receipt.pdf"}
    receipt = client.get(files["receipt.pdf"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert application.number in text and "accuse réception" in text
    services.application_screen(actor=claire, application=application, eligible=True)
    services.reviewer_assign(actor=claire, application=application, reviewer=claire)
    services.application_decide(
        actor=claire,
        application=application,
        outcome="conditions",
        granted_amount="7250",
        conditions="Bilan de fréquentation",
    )
    files = client.get(f"{API}/applications/{application.pk}").json()["files"]
    convention = client.get(files["convention.pdf"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(convention.content)).pages)
    assert "7 250 CHF" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Bilan de fréquentation" in text
    odt = load(io.BytesIO(client.get(files["convention.odt"]).content))
    assert "Bilan de fréquentation" in str(odt.text)
    # Nobody else fetches them.
    assert _client(claire).get(files["convention.pdf"]).status_code == 200
    from maillage.accounts.tests.factories import UserFactory

    assert _client(UserFactory()).get(files["convention.pdf"]).status_code == 404


def test_a_calls_export_neutralises_formulas(call, nadia, claire):
    from io import BytesIO

    from openpyxl import load_workbook

    application = draft(call, nadia)
    services.application_update(actor=nadia, application=application, title="=HYPERLINK(1)")
    services.application_submit(actor=nadia, application=application)
    response = _client(claire).get(reverse("funding:call_export", args=[call.pk, "xlsx"]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    values = [cell.value for cell in sheet[2]]
    assert values[0] == application.number
    assert not str(values[1]).startswith("=")
    assert (
        _client(nadia).get(reverse("funding:call_export", args=[call.pk, "xlsx"])).status_code
        == 403
    )


def test_funds_and_calls_are_read_as_their_cooperation(fund, call, cast):
    everybody = dict.fromkeys(cast, 200)
    assert_permission_matrix(cast, lambda c: c.get(f"{API}/funds/{fund.pk}"), everybody)
    body = Client().get(f"{API}/funds/{fund.pk}").json()
    assert (body["cooperation_id"], body["max_aid"], body["currency"]) == (
        fund.cooperation_id,
        "10000.00",
        "CHF",
    )
    listed = Client().get(f"{API}/funds?cooperation={fund.cooperation_id}").json()
    assert [row["id"] for row in listed["items"]] == [fund.pk]
    calls = Client().get(f"{API}/calls?fund={fund.pk}&open=true").json()
    assert [(row["id"], row["is_open"], row["fund_id"]) for row in calls["items"]] == [
        (call.pk, True, fund.pk)
    ]
    assert Client().get(f"{API}/calls?fund={fund.pk}&open=false").json()["count"] == 0
    services.fund_update(actor=None, fund=fund, visibility="partners")
    assert Client().get(f"{API}/funds/{fund.pk}").status_code == 404
    assert Client().get(f"{API}/calls/{call.pk}").status_code == 404


WRITES = [
    ("post", "budget", {"category": "services", "label": "x", "amount": "10", "currency": "CHF"}),
    ("post", "partners", {"organisation_id": 1, "country": "CH"}),
    ("patch", "", {"title": "Autre"}),
    ("put", "answers", {"answers": {}}),
    ("post", "submit", {}),
    ("post", "screening", {"eligible": True}),
    ("post", "invite", {}),
    ("post", "return", {"reason": "Compléments"}),
    ("post", "reviews", {"reviewer_id": 1}),
    ("post", "decision", {"outcome": "approved", "granted_amount": "10"}),
    ("post", "convention", {"signed_on": "2026-01-01"}),
    ("post", "payments", {"kind": "advance", "requested_amount": "10"}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_every_write_is_refused_to_those_it_is_not_for_and_writes_nothing(
    application, cast, method, path, body
):
    """Members who are neither the applicant nor the fund's staff, outsiders to the dossier
    and visitors: refused (not found for who cannot read it), and the dossier unchanged."""
    url = f"{API}/applications/{application.pk}" + (f"/{path}" if path else "")
    before = application.updated_at
    refused = {
        "anonymous": 401,
        **dict.fromkeys(("observer", "funder", "project_contact", "body_member"), 404),
    }
    for role, status in refused.items():
        client = Client() if cast[role] is None else _client(cast[role])
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == status, (role, path, response.status_code)
    application.refresh_from_db()
    assert application.updated_at == before
    assert application.budget.count() == 1 and application.partners.count() == 1


STAFF_WRITES = {"screening", "invite", "return", "reviews", "decision", "convention"}


@pytest.mark.parametrize(
    ("path", "body"),
    [(path, body) for _method, path, body in WRITES if path in STAFF_WRITES],
)
def test_the_applicant_does_not_screen_assess_nor_decide_their_own(application, nadia, path, body):
    services.application_submit(actor=nadia, application=application)
    if "reviewer_id" in body:
        body = {"reviewer_id": nadia.pk}  # a real user: the refusal is the right's, not the id's
    response = _post(_client(nadia), f"/applications/{application.pk}/{path}", body)
    assert response.status_code == 403, (path, response.status_code)
    application.refresh_from_db()
    assert (application.status, application.outcome) == (S.SUBMITTED, "")
