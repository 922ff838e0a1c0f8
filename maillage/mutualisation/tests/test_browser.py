"""The yearly bill in Chromium (`make test-browser`): the ST2b's finance contact declares its
uses for the open year, the coordinator closes it, and the ST2b reads its statement — whose
figures are those of the API; the pages pass the automatic accessibility checks."""

import pytest

from maillage.portal.tests.test_browser import browser, demo, log_in, open_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _text(page) -> str:
    return " ".join(page.inner_text("main").replace("\u00a0", " ").replace("\u202f", " ").split())


def test_a_party_declares_the_coordinator_closes_the_party_reads(browser, demo):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    from maillage.core.templatetags.amounts import cents
    from maillage.mutualisation import documents
    from maillage.mutualisation.models import Convention

    convention = Convention.objects.get(cooperation__slug="briey-st2b")
    st2b = convention.parties.get(party__organisation__name__startswith="ST2b")
    year = convention.years.get(year=2026)
    year_url = f"{demo.url}{year.get_absolute_url()}"
    axe = Axe()
    violations = {}

    def check_accessibility(page) -> None:
        found = axe.run(page).response["violations"]
        if found:
            violations[page.url] = [(v["id"], v["nodes"][0]["html"][:120]) for v in found]

    party, problems = open_page(browser)
    log_in(party, demo, "observateur@maillage.test")
    party.goto(year_url)
    assert "usage non déclaré par ST2b" in _text(party)
    party.click("text=Déclarer les usages")
    check_accessibility(party)
    for item in convention.items.filter(unit__in=["hours", "kilometres"]):
        party.fill(f"input[name=actual_{st2b.pk}_{item.pk}]", "900")
    party.click("main form button[type=submit]")
    party.wait_for_load_state()
    assert "Les usages sont enregistrés." in _text(party)

    coordinator, coordinator_problems = open_page(browser)
    log_in(coordinator, demo, "coordination@maillage.test")
    coordinator.goto(year_url)
    check_accessibility(coordinator)
    coordinator.click("text=Clore l’exercice et émettre les décomptes")
    coordinator.click("main form button[type=submit]")
    coordinator.wait_for_load_state()
    assert "L’exercice est clos et les décomptes sont émis." in _text(coordinator)
    coordinator.goto(f"{demo.url}{convention.get_absolute_url()}")
    check_accessibility(coordinator)

    year.refresh_from_db()
    (shown,) = documents.shown_statements(year, [st2b])
    party.goto(year_url)
    party.click(f"text={st2b}")
    statement = _text(party)
    assert "Version 1" in statement
    assert cents(shown.due).replace("\u00a0", " ") in statement
    check_accessibility(party)
    api = party.request.get(f"{demo.url}/api/v1/conventions/{convention.pk}/years/2026/statements")
    (answer,) = api.json()["items"]
    assert (answer["organisation"], answer["due"]) == (str(st2b), str(shown.due))
    assert violations == {}
    assert problems == [] and coordinator_problems == []
