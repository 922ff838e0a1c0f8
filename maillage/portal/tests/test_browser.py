"""The site as a person sees it: Debian's Chromium driven by Playwright (`make test-browser`).

For each demo role: log in through the form, visit the main pages, and check that the
browser console stays clean and that the keyboard reaches the skip links first.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

# serialized_rollback: each test starts from the data the migrations load (the programmes).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services and floods the console with errors.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROLES = [
    "admin@maillage.test",
    "coordination@maillage.test",
    "elu@maillage.test",
    "porteur@maillage.test",
    "financeur@maillage.test",
    "observateur@maillage.test",
]
PAGES = [
    "/",
    "/mon-espace/",
    "/mon-espace/jetons/",
    "/cooperations/brest-cob/",
    "/cooperations/brest-cob/strategie/",
    "/cooperations/brest-cob/groupes/",
    "/cooperations/brest-cob/pistes/",
    "/cooperations/arc-jurassien/pistes/1/",
    "/cooperations/cambresis/projets/",
    "/cooperations/brest-cob/projets/BC-01/",
    "/cooperations/brest-cob/reunions/",
    "/accessibilite/",
    "/territoires/?q=relecq",
    "/annuaire/structures/",
    "/annuaire/personnes/",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    # calls (loading the demo) are still plain synchronous calls, which Django must allow.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("load_demo", verbosity=0)
    return live_server


def open_page(browser):
    page = browser.new_page(locale="fr-FR")
    page.set_default_timeout(10_000)
    problems: list[str] = []

    def on_console(message):
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems


@pytest.mark.parametrize("email", ROLES)
def test_each_role_logs_in_and_browses_without_console_errors(browser, demo, email):
    page, problems = open_page(browser)
    log_in(page, demo, email)
    assert page.locator(".fr-header").count() == 1

    for path in PAGES:
        response = page.goto(f"{demo.url}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
    page.goto(f"{demo.url}/territoires/?q=brest")
    page.click("text=Brest Métropole")
    assert page.locator("h1").inner_text() == "Brest Métropole"
    assert problems == []
    page.close()


def test_the_keyboard_reaches_skip_links_first_and_the_content(browser, demo):
    page, problems = open_page(browser)
    page.goto(f"{demo.url}/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"

    # Tabbing goes on through visible, named controls only, down to the footer.
    reached = []
    for _step in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
            " return {tag: e.tagName, name: ((e.labels && e.labels[0] && e.labels[0].innerText) || e.innerText"
            " || e.getAttribute('aria-label') || e.title || '').trim(),"
            " visible: r.width > 0 && r.height > 0}; })()"
        )
        if focused["tag"] == "BODY":  # past the last control of the page
            break
        assert focused["visible"], focused
        assert focused["name"], focused
        reached.append(focused["name"])
    assert "Rechercher" in reached
    assert "Mentions légales" in reached
    assert problems == []


# Beyond PAGES: the pages with charts, tables of forms, pagination and the editing forms.
ACCESSIBILITY_PAGES = [
    *PAGES,
    "/cooperations/brest-cob/tableau-de-bord/",
    "/tableau-de-bord/",
    "/cooperations/brest-cob/membres/",
    "/cooperations/brest-cob/projets/BC-01/modifier/",
    "/cooperations/cambresis/projets/?page=2",
    "/cooperations/brest-cob/reunions/calendrier/",
    "/cooperations/brest-cob/decisions/",
    "/cooperations/brest-cob/rapports/",
]


def test_pages_pass_the_automatic_accessibility_checks(browser, demo):
    """axe-core's rules (WCAG 2 A and AA, and its best practices) on the pages a coordinator
    sees. They catch part of what an audit checks, not all: the footer still says "non
    conforme" until a person has audited the site."""
    from axe_playwright_python.sync_playwright import Axe

    page, problems = open_page(browser)
    log_in(page, demo, "coordination@maillage.test")
    axe = Axe()
    violations = {}
    for path in ACCESSIBILITY_PAGES:
        page.goto(f"{demo.url}{path}")
        found = axe.run(page).response["violations"]
        if found:
            violations[path] = [(v["id"], v["nodes"][0]["html"][:120]) for v in found]
    assert violations == {}
    assert problems == []
    page.close()


def test_the_design_system_styles_are_served_locally(browser, demo):
    page, _problems = open_page(browser)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{demo.url}/")
    assert any("/static/dsfr/" in url for url in requests)
    assert all(url.startswith(demo.url) or url.startswith("data:") for url in requests), requests


def log_in(page, demo, email: str) -> None:
    page.goto(f"{demo.url}/compte/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{demo.url}/")


def test_the_strategy_is_edited_in_place(browser, demo):
    """Moving, adding and editing nodes swap the tree without reloading the page."""
    page, problems = open_page(browser)
    log_in(page, demo, "coordination@maillage.test")
    page.goto(f"{demo.url}/cooperations/brest-cob/strategie/")
    page.evaluate("window.notReloaded = true")
    first_axis = page.locator("#strategy-tree > ul > li").first
    assert "Économie et insertion" in first_axis.locator(".maillage-tree__row").first.inner_text()

    first_axis.locator("button[title^='Descendre']").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#strategy-tree [role=status]:has-text('déplacé')")
    rows = page.locator("#strategy-tree > ul > li > .maillage-tree__row")
    assert "Santé, culture et services" in rows.nth(0).inner_text()
    assert "AXE 2" in rows.nth(1).inner_text().upper()
    assert "Économie et insertion" in rows.nth(1).inner_text()

    form = page.locator("#node-form-new form")
    form.locator("input[name=title]").fill("Tourisme de proximité")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#strategy-tree >> text=Tourisme de proximité")
    assert (
        "4"
        in page.locator("#strategy-tree > ul > li")
        .nth(3)
        .locator(".maillage-tree__row")
        .first.inner_text()
    )

    page.locator("#strategy-tree > ul > li").nth(3).locator("a[title^='Modifier']").first.click()
    inline = page.locator("#strategy-tree form.maillage-inline-form")
    inline.locator("input[name=title]").fill("Tourisme et loisirs")
    inline.locator("button[type=submit]").click()
    page.wait_for_selector("#strategy-tree >> text=Tourisme et loisirs")
    assert page.evaluate("window.notReloaded") is True
    assert problems == []
    page.close()


def test_the_observatorys_maps_draw(browser, demo):
    """Brest–COB's page draws the flows between its parties over their outlines; a
    territory's profile draws its communes coloured by a statistic (and passes axe-core)."""
    from axe_playwright_python.sync_playwright import Axe

    from maillage.territories.models import Territory

    page, problems = open_page(browser)
    log_in(page, demo, "coordination@maillage.test")
    page.goto(f"{demo.url}/cooperations/brest-cob/")
    flows_map = page.locator('[data-map="map-cooperation-flows"]')
    flows_map.scroll_into_view_if_needed()
    page.wait_for_selector('[data-map="map-cooperation-flows"][data-drawn="true"]')
    assert flows_map.locator("path.leaflet-interactive").count() >= 3  # 2 outlines, lines
    metropole = Territory.objects.get(kind="epci", code="242900314")
    page.goto(f"{demo.url}/observatoire/territoires/{metropole.pk}/")
    page.wait_for_selector('[data-map="map-communes"][data-drawn="true"]')
    assert page.locator('[data-map="map-communes"] path.leaflet-interactive').count() == 8
    assert Axe().run(page).response["violations"] == []
    assert problems == []
    page.close()


def test_a_visitor_finds_an_event_from_the_home_page_registers_and_is_promoted(
    browser, live_server, settings
):
    """Cap Rural's kind of session (seed 003), one seat: a visitor finds it on the home page,
    registers without an account, confirms by the mailed link and gets the .ics; the next
    one waits, and takes the seat — told by e-mail — when the first cancels."""
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from maillage.cooperations.tests.factories import OrganisationFactory
    from maillage.governance import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    start = timezone.now() + timedelta(days=10)
    services.event_create(  # Cap Rural's own event, not a cooperation's meeting
        actor=None,
        organiser=OrganisationFactory.create(name="Cap Rural", kind="association"),
        title="Session d’exploration",
        start=start,
        end=start + timedelta(hours=7),
        capacity=1,
        when_full="waiting_list",
        open_registration=True,
        registration_questions="Votre fonction ?",
    )

    def register(name: str, email: str) -> str:
        page, problems = open_page(browser)
        page.goto(f"{live_server.url}/")
        page.click("text=Session d’exploration")
        page.fill("#id_name", name)
        page.fill("#id_email", email)
        page.fill("#id_answer_0", "Chargée de mission")
        page.click("button:has-text('M’inscrire')")
        link = mail.outbox[-1].body.split("\n")[-1].strip()
        assert mail.outbox[-1].to == [email] and "/inscription/" in link
        page.goto(link)
        page.click("button:has-text('Confirmer mon inscription')")
        assert problems == []
        page.close()
        return link

    first = register("Zoé Martin", "zoe@exemple.test")
    confirmation = mail.outbox[-1]
    assert "confirmée" in confirmation.body
    assert any(name.endswith(".ics") for name, *_ in confirmation.attachments)
    register("Yann Le Gall", "yann@exemple.test")
    assert "liste d’attente" in mail.outbox[-1].body

    page, problems = open_page(browser)
    page.goto(first)
    page.click("button:has-text('Annuler mon inscription')")
    assert page.locator("text=Votre inscription est annulée.").count() == 1
    promoted = mail.outbox[-1]
    assert promoted.to == ["yann@exemple.test"] and "Une place s’est libérée" in promoted.body
    assert problems == []
    page.close()
