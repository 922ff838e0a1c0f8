"""An application from the call to its payment in Chromium (`make test-browser`), on the demo's
FPPT: the applicant drafts, completes and submits it; the fund's staff screen it and assign
themselves; they score it, record the committee's decision within the envelope, download the
convention and record its signature; the applicant asks for the payment, the staff pay it; the
portfolio's financing line and the envelope's figures follow. The pages pass the automatic
accessibility checks."""

import pytest

from maillage.portal.tests.test_browser import browser, demo, log_in, open_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _text(page) -> str:
    return " ".join(page.inner_text("main").replace("\u00a0", " ").replace("\u202f", " ").split())


def _submit(page) -> None:
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_an_application_from_the_call_to_its_payment(browser, demo):  # noqa: F811
    from decimal import Decimal

    from axe_playwright_python.sync_playwright import Axe
    from django.utils import timezone

    from maillage.directory.models import Organisation
    from maillage.funding import selectors
    from maillage.funding.models import Application, Fund

    fund = Fund.objects.get(code="fppt")
    call = next(call for call in fund.calls.all() if call.is_open())
    (before,) = [pot for pot in selectors.envelope_figures(fund) if pot.year == call.year]
    area = fund.eligible_territories.order_by("name")[0]
    association = Organisation.objects.filter(name__startswith="Association fictive n° 1 ")[0]
    axe = Axe()
    violations = {}

    def check_accessibility(page) -> None:
        found = axe.run(page).response["violations"]
        if found:
            violations[page.url] = [(v["id"], v["nodes"][0]["html"][:120]) for v in found]

    applicant, problems = open_page(browser)
    log_in(applicant, demo, "porteur@maillage.test")
    applicant.goto(f"{demo.url}{call.get_absolute_url()}")
    check_accessibility(applicant)
    applicant.click("main a:has-text('Déposer un dossier')")
    applicant.wait_for_url("**/deposer/")
    check_accessibility(applicant)
    applicant.select_option("select[name=applicant]", label=association.name)
    applicant.fill("input[name=title]", "Rallye vélo des deux frontières")
    applicant.fill("textarea[name=summary]", "Un rallye à vélo entre Belfort et Porrentruy.")
    applicant.select_option("select[name=measure]", index=1)
    applicant.fill("input[name=requested_amount]", "6000")
    applicant.select_option("select[name=territories]", label=area.name)
    _submit(applicant)
    assert "Avant de déposer ce dossier" in _text(applicant)
    assert "deux côtés de la frontière" in _text(applicant)
    application_url = applicant.url
    applicant.click("text=Ajouter un partenaire")
    applicant.select_option(
        "select[name=organisation]", label="Commune fictive de Porrentruy (partenaire)"
    )
    applicant.select_option("select[name=country]", value="CH")
    _submit(applicant)
    applicant.click("text=Ajouter une dépense")
    applicant.select_option("select[name=category]", value="services")
    applicant.fill("input[name=label]", "Encadrement et sécurité")
    applicant.fill("input[name=amount]", "18000")
    applicant.select_option("select[name=currency]", value="CHF")
    _submit(applicant)
    assert "Répondez à la question" in _text(applicant)
    applicant.click("text=Répondre aux questions")
    check_accessibility(applicant)
    applicant.locator("main form textarea").first.fill("Quarante de chaque côté.")
    _submit(applicant)
    assert "vous pouvez le déposer" in _text(applicant)
    check_accessibility(applicant)
    applicant.click("text=Déposer le dossier")
    applicant.wait_for_load_state()
    application = Application.objects.get(title="Rallye vélo des deux frontières")
    today = timezone.localdate().isoformat()
    assert application.number in _text(applicant)

    staff, staff_problems = open_page(browser)
    log_in(staff, demo, "fonds@maillage.test")
    staff.goto(application_url)
    check_accessibility(staff)
    staff.click("text=Recevabilité")
    staff.click("label[for=id_eligible_0]")
    _submit(staff)
    staff.click("text=Désigner un instructeur")
    staff.select_option("select[name=reviewer]", label="Gaëlle Gestionnaire")
    _submit(staff)
    staff.click("text=Évaluer ce dossier")
    check_accessibility(staff)
    for field in staff.locator("main form input[name^=criterion_]").all():
        field.fill("3")
    _submit(staff)
    assert "Votre évaluation est enregistrée." in _text(staff)
    staff.click("text=Décision du comité")
    staff.select_option("select[name=outcome]", value="approved")
    staff.fill("input[name=granted_amount]", "5500")
    _submit(staff)
    assert "La décision est enregistrée." in _text(staff)
    with staff.expect_download() as download:
        staff.click("text=Convention (PDF)")
    assert download.value.suggested_filename.endswith(".pdf")
    staff.click("text=Convention signée")
    staff.fill("input[name=signed_on]", today)
    _submit(staff)

    applicant.goto(application_url)
    applicant.click("text=Demander un paiement")
    applicant.select_option("select[name=kind]", value="balance")
    applicant.fill("input[name=requested_amount]", "5500")
    _submit(applicant)
    staff.goto(application_url)
    staff.click("text=Vérifier et payer")
    staff.fill("input[name=paid_on]", today)
    _submit(staff)
    assert "Le paiement est enregistré." in _text(staff)
    assert "Soldé" in _text(staff)

    application.refresh_from_db()
    line = application.financing_line
    assert line is not None and (line.amount, line.status) == (Decimal(5500), "paid")
    (after,) = [pot for pot in selectors.envelope_figures(fund) if pot.year == call.year]
    assert after.programmed - before.programmed == Decimal(5500)
    assert after.paid - before.paid == Decimal(5500)
    staff.goto(f"{demo.url}{fund.get_absolute_url()}")
    check_accessibility(staff)
    assert violations == {}
    assert problems == [] and staff_problems == []
