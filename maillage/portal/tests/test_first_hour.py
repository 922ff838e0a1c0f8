"""The coordinator's first hour, in Chromium (`make test-browser`): she starts a cooperation
with two parties, a strategy item, a body, a project with a line in Swiss francs, a public
meeting with a waiting list, and records a decision at a meeting held. Then the portfolio, the
project's page, the dashboard, the overview and the yearly report's text give the same figures.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.portal.tests.test_browser import browser, demo, log_in, open_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _text(page) -> str:
    """The main content as read, spaces of every width as one."""
    text = page.inner_text("main")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _submit(page) -> None:
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_the_coordinators_first_hour(browser, demo):  # noqa: F811
    from maillage.accounts.models import User
    from maillage.cooperations.models import Cooperation
    from maillage.reports import selectors
    from maillage.reports.yearly import Paragraph, _money

    page, problems = open_page(browser)
    log_in(page, demo, "coordination@maillage.test")
    url = demo.url

    page.goto(f"{url}/")
    page.click("text=Nouvelle coopération")
    page.fill("input[name=title]", "Coopération du premier jour")
    page.select_option("select[name=kind]", "reciprocity_contract")
    page.select_option("select[name=visibility]", "public")
    _submit(page)
    cooperation = Cooperation.objects.get(title="Coopération du premier jour")
    base = f"{url}/cooperations/{cooperation.slug}"
    assert page.url.rstrip("/") == base

    for organisation in ("Brest métropole", "Pays du Centre Ouest Bretagne"):
        page.goto(f"{base}/parties/ajouter/")
        page.select_option("select[name=organisation]", label=organisation)
        page.select_option("select[name=role]", "signatory")
        _submit(page)
    parties = page.inner_text("main")
    assert "Brest métropole" in parties and "Pays du Centre Ouest Bretagne" in parties

    page.goto(f"{base}/strategie/ajouter/")
    page.fill("input[name=title]", "Énergie et bois")
    _submit(page)
    page.goto(f"{base}/strategie/")
    assert "Énergie et bois" in page.inner_text("main")

    page.goto(f"{base}/instances/nouvelle/")
    page.fill("input[name=name]", "Comité de pilotage")
    page.select_option("select[name=kind]", "steering_committee")
    _submit(page)

    page.goto(f"{base}/projets/nouveau/")
    page.fill("input[name=title]", "Chaufferie bois")
    page.select_option("select[name=owner]", label="Brest métropole")
    page.fill("input[name=total_cost]", "40000")
    page.click("label[for=id_strategy_nodes_0]")
    _submit(page)
    project_url = page.url
    for funder, amount, currency in (
        ("Région Bretagne", "10000", "EUR"),
        ("Brest métropole", "5000", "CHF"),
    ):
        page.goto(f"{project_url}financements/ajouter/")
        page.select_option("select[name=funder]", label=funder)
        page.fill("input[name=amount]", amount)
        page.select_option("select[name=currency]", currency)
        page.select_option("select[name=status]", "granted")
        _submit(page)

    soon = timezone.localtime() + dt.timedelta(days=20)
    page.goto(f"{base}/reunions/nouvelle/")
    page.fill("input[name=title]", "Matinée ouverte")
    page.fill("input[name=start]", soon.strftime("%Y-%m-%dT09:30"))
    page.fill("input[name=end]", soon.strftime("%Y-%m-%dT12:00"))
    page.select_option("select[name=visibility]", "public")
    page.fill("input[name=capacity]", "1")
    page.select_option("select[name=when_full]", "waiting_list")
    page.click("label[for=id_open_registration]")
    _submit(page)
    meeting_page = _text(page)
    assert "Matinée ouverte" in meeting_page

    held = timezone.localtime() - dt.timedelta(days=1)
    page.goto(f"{base}/reunions/nouvelle/")
    page.fill("input[name=title]", "Comité de lancement")
    page.select_option("select[name=body]", label="Comité de pilotage")
    page.fill("input[name=start]", held.strftime("%Y-%m-%dT09:30"))
    page.fill("input[name=end]", held.strftime("%Y-%m-%dT11:00"))
    _submit(page)
    page.click("summary:has-text('Enregistrer une décision')")
    decision = page.locator("form[action*='decision']")
    decision.locator("select[name=kind]").select_option("programming")
    decision.locator("input[name=date]").fill(held.strftime("%Y-%m-%d"))
    decision.locator("textarea[name=text]").fill("La chaufferie bois est programmée.")
    chaufferie = decision.locator("select[name=projects] option", has_text="Chaufferie bois")
    decision.locator("select[name=projects]").select_option(chaufferie.get_attribute("value"))
    decision.locator("select[name=project_status]").select_option("ready")
    decision.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "La chaufferie bois est programmée." in page.inner_text("main")

    # The same figures everywhere: 10 000 € + 5 000 CHF at the demo's 1.06 = 15 300 €.
    page.goto(f"{base}/projets/")
    portfolio = _text(page)
    assert "Chaufferie bois" in portfolio and "15 300" in portfolio and "40 000 EUR" in portfolio
    page.goto(project_url)
    project = _text(page)
    assert "Total des financements 15 300,00 €" in project
    assert "Coût total 40 000,00 €" in project and "Programmé" in project
    page.goto(f"{base}/tableau-de-bord/")
    dashboard = _text(page)
    assert "40 000 € de coût total" in dashboard
    assert "15 300 € de financements inscrits" in dashboard
    assert "1 réunion tenue" in dashboard and "1 décision" in dashboard
    page.goto(f"{url}/tableau-de-bord/")
    overview = _text(page)
    line = overview[overview.index("Coopération du premier jour") :]
    assert line.split()[4:14] == [
        "1",  # projects
        "0",  # engaged
        "0",  # structuring
        "0",  # late
        "40",
        "000",  # total cost
        "15",
        "300",  # financing secured
        "1",  # meetings held this year
        "1",  # decisions this year
    ], line[:200]
    claire = User.objects.get(email="coordination@maillage.test")
    board = selectors.dashboard(claire, cooperation)
    assert board.financing.financing_total == Decimal("15300.00")
    money = _money(board)[1]
    assert isinstance(money, Paragraph)
    report = " ".join(money.text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "coût total des projets 40 000 €" in report
    assert "financements inscrits 15 300 €" in report
    assert problems == []
    page.close()
