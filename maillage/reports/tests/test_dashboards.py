"""The dashboard's figures, the overview, their pages and API as each role, fixed queries."""

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.core.testing import ROLES, assert_constant_queries, assert_permission_matrix
from maillage.governance import services as governance_services
from maillage.projects import services as project_services
from maillage.projects.models import ExchangeRate, Programme
from maillage.reports import selectors
from maillage.reports.charts import BAR_WIDTH, FONT_SIZE, amount, bar_chart

pytestmark = pytest.mark.django_db


def get(client, *, path):
    return client.get(path)


@pytest.fixture
def portfolio(cooperation):
    """Two axes; four projects, one serving two actions of axis 1; money in EUR and CHF."""
    cooperation.visibility = "public"
    cooperation.save()
    axis1 = cooperation_services.strategy_node_create(
        actor=None, cooperation=cooperation, title="Économie"
    )
    action_a, action_b = (
        cooperation_services.strategy_node_create(
            actor=None, cooperation=cooperation, title=title, parent=axis1
        )
        for title in ("Action A", "Action B")
    )
    axis2 = cooperation_services.strategy_node_create(
        actor=None, cooperation=cooperation, title="Santé"
    )
    region = OrganisationFactory.create(name="Région")
    past = timezone.localdate() - dt.timedelta(days=10)
    create = partial(
        project_services.project_create, actor=None, cooperation=cooperation, visibility="public"
    )
    both = create(title="Halle", status="engaged", strategy_nodes=[action_a, action_b])
    create(title="Centre de santé", status="engaged", strategy_nodes=[axis2], structuring=True)
    create(title="Étude", status="study", end_date=past, total_cost=Decimal("1000"))
    create(title="Passerelle", status="ready", total_cost=Decimal("2000"), currency="CHF")
    ExchangeRate.objects.create(
        currency="CHF", valid_from=dt.date(2020, 1, 1), rate=Decimal("1.05")
    )
    leader = Programme.objects.get(code="leader")
    project_services.financing_add(
        actor=None,
        project=both,
        funder=region,
        programme=leader,
        amount=Decimal("500"),
        status="granted",
    )
    project_services.financing_add(
        actor=None,
        project=both,
        funder=region,
        amount=Decimal("100"),
        currency="CHF",
        status="planned",
    )
    return cooperation


def test_the_figures_of_a_dashboard(portfolio, nadia):
    board = selectors.dashboard(nadia, portfolio, since=dt.date(2000, 1, 1))
    projects = board.projects
    assert projects.total == 4 and projects.structuring == 1 and projects.late == 1
    status = {row.key: row.value for row in projects.by_status}
    assert status["engaged"] == 2 and status["study"] == 1 and status["ready"] == 1
    # "Halle" serves two actions of axis 1: counted once there.
    assert [(row.label, row.value) for row in projects.by_axis] == [
        ("1 Économie", 1),
        ("2 Santé", 1),
    ]
    money = board.financing
    assert money.total_cost == Decimal("1000") + Decimal("2100.00")  # 2 000 CHF at 1.05
    assert {row.key: row.value for row in money.by_status} == {
        "planned": Decimal("105.00"),
        "requested": 0,
        "granted": Decimal("500"),
        "paid": 0,
    }
    assert [row.filter for row in money.by_status][2] == {"financing_status": "granted"}
    assert [(row.label, row.value) for row in money.by_funder] == [("Région", Decimal("605.00"))]
    assert money.gap == Decimal("3100.00") - Decimal("605.00")
    assert [rate.currency for rate in money.rates_used] == ["CHF"]
    assert board.changes.new_projects == 4 and board.changes.status_changes == 0
    study = portfolio.projects.get(title="Étude")
    project_services.project_status_set(actor=None, project=study, status="ready")
    assert selectors.dashboard(nadia, portfolio).changes.status_changes == 1
    assert board.link(projects.by_axis[0]).endswith(f"?strategie={projects.by_axis[0].key}")


def test_a_missing_rate_is_said_and_not_counted(portfolio, nadia):
    ExchangeRate.objects.all().delete()
    money = selectors.dashboard(nadia, portfolio).financing
    assert money.missing_rates == ["CHF"] and money.total_cost == Decimal("1000")


def test_indicators_funnel_and_governance(portfolio, nadia, claire):
    project = portfolio.projects.get(title="Halle")
    rising = project_services.indicator_add(
        actor=None, project=project, name="Emplois", baseline=0, target=10
    )
    falling = project_services.indicator_add(
        actor=None, project=project, name="Vacance", baseline=20, target=5
    )
    project_services.indicator_add(actor=None, project=project, name="Sans cible")
    project_services.indicator_value_add(
        actor=None, indicator=rising, date=dt.date(2025, 1, 1), value=12
    )
    project_services.indicator_value_add(
        actor=None, indicator=falling, date=dt.date(2025, 1, 1), value=4
    )
    project_services.indicator_value_add(
        actor=None, indicator=falling, date=dt.date(2025, 6, 1), value=7
    )
    proposal = cooperation_services.proposal_create(
        actor=None, cooperation=portfolio, title="Piste", status="retained", visibility="public"
    )
    cooperation_services.proposal_create(
        actor=None, cooperation=portfolio, title="Autre", visibility="public"
    )
    # The partners' own: a visitor's dashboard does not count it (nor show it exists).
    cooperation_services.proposal_create(actor=None, cooperation=portfolio, title="Interne")
    project_services.project_update(actor=claire, project=project, proposal=proposal)
    body = governance_services.body_create(
        actor=None,
        cooperation=portfolio,
        name="Comité",
        kind="other",
        meetings_per_year=1,
        visibility="public",
    )
    board = selectors.dashboard(nadia, portfolio)
    indicators = board.indicators
    # The falling one's latest value (7) has not reached 5 yet; the rising one has.
    assert (indicators.total, indicators.with_target, indicators.measured, indicators.reached) == (
        3,
        2,
        2,
        1,
    )
    funnel = board.funnel
    assert (funnel.submitted, funnel.retained, funnel.turned_into_projects) == (2, 1, 1)
    assert selectors.dashboard(claire, portfolio).funnel.submitted == 3
    assert board.governance.bodies[0]["rule_met"] is False
    start = timezone.now() - dt.timedelta(hours=3)
    governance_services.meeting_create(
        actor=None,
        cooperation=portfolio,
        body=body,
        title="Comité",
        start=start,
        end=start + dt.timedelta(hours=1),
        visibility="public",
    )
    governance_services.decision_record(
        actor=None, body=body, text="Avis", kind="opinion", date=timezone.localdate()
    )
    board = selectors.dashboard(nadia, portfolio)
    assert board.governance.bodies[0]["rule_met"] is True
    assert (board.governance.meetings_held, board.governance.decisions) == (1, 1)


def test_charts_say_what_they_show():
    from maillage.reports.selectors import Row

    chart = bar_chart("x", "Projets", [Row("A", 3), Row("B", 0), Row("C", 1234567)], unit="€")
    assert [bar.text for bar in chart.bars] == [
        "3\u00a0€",
        "0\u00a0€",
        "1\u202f234\u202f567\u00a0€",
    ] or [bar.text for bar in chart.bars] == ["3\u00a0€", "0\u00a0€", "1\u00a0234\u00a0567\u00a0€"]
    assert chart.bars[2].width == BAR_WIDTH and chart.bars[1].width == 0
    assert "« C »" in chart.summary and "2 catégories sur 3" in chart.summary
    assert amount(Decimal("1250000.4")).replace("\u202f", " ").replace("\u00a0", " ") == "1 250 000"
    assert bar_chart("y", "Vide", []).summary == "Aucune donnée à représenter."


def test_the_overview(portfolio, nadia, claire):
    hidden = CooperationFactory.create(title="Privée", visibility="restricted")
    project_services.project_create(actor=None, cooperation=hidden, title="Secret")
    other = CooperationFactory.create(title="Autre", visibility="public")
    project_services.project_create(
        actor=None, cooperation=other, title="P", status="engaged", visibility="public"
    )
    everything = selectors.OverviewFilters()
    cooperations = list(selectors.overview_cooperations(nadia, everything))
    assert hidden not in cooperations and portfolio in cooperations
    lines = {line.cooperation.title: line for line in selectors.overview(nadia, cooperations)}
    assert lines["Autre"].projects == 1 and lines["Autre"].engaged == 1
    assert lines[portfolio.title].projects == 4
    assert lines[portfolio.title].financing_secured == Decimal("500")
    # Claire is a member of the demo cooperation only: "mine" keeps it alone.
    mine = selectors.OverviewFilters(mine=True)
    assert list(selectors.overview_cooperations(claire, mine)) == [portfolio]
    # …and is what a member sees unless they ask for every cooperation.
    assert list(selectors.overview_cooperations(claire, everything)) == [portfolio]
    every = selectors.OverviewFilters(mine=False)
    assert len(selectors.overview_cooperations(claire, every)) == 2


def test_pages_and_api_as_each_role(cast, portfolio):
    everyone = dict.fromkeys(ROLES, 200)
    for path in (
        f"/cooperations/{portfolio.slug}/tableau-de-bord/",
        f"/api/v1/cooperations/{portfolio.slug}/dashboard",
        "/tableau-de-bord/",
        "/api/v1/dashboard/overview",
    ):
        assert_permission_matrix(cast, partial(get, path=path), everyone)
    portfolio.visibility = "partners"
    portfolio.save()
    members = {**everyone, "anonymous": 404, "outsider": 404}
    for path in (
        f"/cooperations/{portfolio.slug}/tableau-de-bord/",
        f"/api/v1/cooperations/{portfolio.slug}/dashboard",
    ):
        assert_permission_matrix(cast, partial(get, path=path), members)


def test_the_api_gives_the_figures(client, portfolio):
    body = client.get(f"/api/v1/cooperations/{portfolio.pk}/dashboard").json()
    assert body["projects"]["total"] == 4 and body["projects"]["structuring"] == 1
    engaged = next(row for row in body["projects"]["by_status"] if row["key"] == "engaged")
    assert engaged == {
        "key": "engaged",
        "label": "Engagé",
        "value": 2,
        "portfolio_filter": {"status": "engaged"},
    }
    assert body["financing"]["rates_used"][0]["currency"] == "CHF"
    assert (
        client.get(f"/api/v1/cooperations/{portfolio.pk}/dashboard?since=hier").status_code == 400
    )
    overview = client.get("/api/v1/dashboard/overview?kind=reciprocity_contract").json()
    assert overview["count"] == len(overview["items"])


def test_dashboards_keep_a_fixed_number_of_queries(client, claire, portfolio):
    client.force_login(claire)
    paths = [
        f"/cooperations/{portfolio.slug}/tableau-de-bord/",
        f"/api/v1/cooperations/{portfolio.slug}/dashboard",
        "/tableau-de-bord/?perimetre=toutes",
        "/api/v1/dashboard/overview",
    ]
    region = OrganisationFactory.create(name="Département")
    theme = cooperation_services.theme_create(actor=None, cooperation=portfolio, name="Mobilité")

    def grow(n=5):
        for i in range(n):
            cooperation = CooperationFactory.create(visibility="public")
            project_services.project_create(actor=None, cooperation=cooperation, title=f"X{i}")
            project = project_services.project_create(
                actor=None, cooperation=portfolio, title=f"P{i}", owner=region, themes=[theme]
            )
            project_services.financing_add(
                actor=None, project=project, funder=region, amount=Decimal(10)
            )
            project_services.indicator_add(actor=None, project=project, name="I", target=1)
            governance_services.body_create(
                actor=None, cooperation=cooperation, name="C", kind="other", meetings_per_year=1
            )

    grow(1)
    assert all(client.get(path).status_code == 200 for path in paths)
    assert_constant_queries(lambda: [client.get(path) for path in paths], grow)


def test_a_dashboard_without_costs_says_so_rather_than_zero(client, cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    project_services.project_create(
        actor=None, cooperation=cooperation, title="Sans coût", visibility="public"
    )
    body = client.get(f"/cooperations/{cooperation.slug}/tableau-de-bord/").content.decode()
    assert "coût total non renseigné" in body
    assert "0&nbsp;€</strong> de coût total" not in body


def test_the_cooperation_page_and_the_dashboard_count_the_same_proposals(client, portfolio, claire):
    cooperation_services.proposal_create(
        actor=None, cooperation=portfolio, title="Publique", visibility="public"
    )
    cooperation_services.proposal_create(actor=None, cooperation=portfolio, title="Interne")
    for user in (None, claire):
        if user is not None:
            client.force_login(user)
        page = client.get(f"/cooperations/{portfolio.slug}/").context["funnel"]
        board = client.get(f"/api/v1/cooperations/{portfolio.slug}/dashboard").json()["funnel"]
        assert sum(page.values()) == board["submitted"] == (1 if user is None else 2)


def test_every_screen_gives_the_same_money_in_euros(client, portfolio, nadia):
    """A project with 500 € and 100 CHF (rate 1.05): the portfolio's "Financements", the
    project list and detail in the API, the project's financing plan and the dashboard all say
    605 € (the portfolio added 500 + 100 = 600 unconverted), and the portfolio says the rate."""
    from maillage.projects import selectors as project_selectors
    from maillage.projects.models import Project
    from maillage.projects.selectors import PortfolioFilters

    halle = Project.objects.get(title="Halle")
    page = client.get(f"/cooperations/{portfolio.slug}/projets/")
    [row] = [row for row in page.context["page_obj"].object_list if row["id"] == halle.pk]
    listed = client.get("/api/v1/projects", {"cooperation": portfolio.pk}).json()["items"]
    [item] = [item for item in listed if item["id"] == halle.pk]
    detail = client.get(f"/api/v1/projects/{halle.pk}").json()
    plan = project_selectors.financing_plan(halle)
    expected = Decimal("605.00")
    assert row["financing_total"] == expected == plan.total_eur
    assert Decimal(item["financing_total"]) == expected == Decimal(detail["financing_total"])
    body = page.content.decode()
    assert "1 CHF = 1,05 € au taux du 1er janvier 2020" in body
    every = project_selectors.portfolio(nadia, portfolio, PortfolioFilters())
    board = selectors.dashboard(nadia, portfolio)
    total = sum((getattr(p, "financing_total", None) or Decimal(0) for p in every), Decimal(0))
    assert total == board.financing.financing_total


def test_a_held_meeting_and_a_body_rule_mean_the_same_everywhere(client, cooperation, claire):
    """Brest–COB had "Réunions 2026 : 1" and "1 sur 1 instances à jour" on the overview while
    its dashboard and meetings page said none held: a meeting planned later this year counted
    as held there. One definition (governance.selectors.held_q) for every screen."""
    from maillage.governance import selectors as governance_selectors
    from maillage.governance.models import Meeting

    body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="council", meetings_per_year=2
    )
    now = timezone.now()
    for hours in (-1, 1):  # one begun an hour ago, one to come in an hour
        governance_services.meeting_create(
            actor=None,
            cooperation=cooperation,
            body=body,
            title=f"Séance {hours}",
            start=now + dt.timedelta(hours=hours),
            end=now + dt.timedelta(hours=hours + 2),
        )
    assert Meeting.objects.count() == 2
    [listed] = governance_selectors.body_list(claire, cooperation)
    board = selectors.dashboard(claire, cooperation)
    [line] = selectors.overview(claire, [cooperation])
    assert listed.meetings_this_year == board.governance.meetings_held == 1  # type: ignore[attr-defined]
    assert line.meetings_this_year == 1
    assert governance_selectors.rule_met(listed) is False
    assert (line.bodies_with_rule, line.bodies_meeting_rule) == (1, 0)
    client.force_login(claire)
    api = client.get(f"/api/v1/bodies/{body.pk}").json()
    assert api["meetings_this_year"] == 1 and api["rule_met"] is False


def test_an_unknown_total_cost_reads_non_renseigne_everywhere(client, claire, cooperation):
    """The overview said "Coût total 0" where the dashboard said "non renseigné", the yearly
    report "coût total des projets 0 €" and "(coût non renseigné)" in one sentence."""
    from maillage.reports.yearly import Paragraph, _money

    project_services.project_create(actor=None, cooperation=cooperation, title="Sans coût")
    board = selectors.dashboard(claire, cooperation)
    assert board.financing.total_cost is None and board.financing.gap is None
    [line] = selectors.overview(claire, [cooperation])
    assert line.total_cost is None
    [_heading, paragraph] = _money(board)[:2]
    assert isinstance(paragraph, Paragraph)
    assert "coût total des projets non renseigné" in paragraph.text
    assert "des projets 0" not in paragraph.text
    client.force_login(claire)
    dashboard = client.get(f"/cooperations/{cooperation.slug}/tableau-de-bord/").content.decode()
    assert "coût total non renseigné" in dashboard
    overview = client.get("/tableau-de-bord/").content.decode()
    assert "non renseigné" in overview
    api = client.get(f"/api/v1/cooperations/{cooperation.slug}/dashboard").json()
    assert api["financing"]["total_cost"] is None
    [api_line] = client.get("/api/v1/dashboard/overview").json()["items"]
    assert api_line["total_cost"] is None
    project_services.project_create(
        actor=None, cooperation=cooperation, title="Chiffré", total_cost=Decimal("1000")
    )
    assert selectors.dashboard(claire, cooperation).financing.total_cost == Decimal("1000")


def test_the_charts_read_at_the_pages_size(client, portfolio, claire):
    """They were drawn in half a column at 12 units: about 10 pixels on a laptop's screen.
    Full width, shown at most one unit to a pixel, with 15-unit texts."""
    import re

    client.force_login(claire)
    page = client.get(f"/cooperations/{portfolio.slug}/tableau-de-bord/").content.decode()
    charts = re.findall(r'<div class="([^"]*)">\s*<figure class="maillage-chart"', page)
    assert charts and set(charts) == {"fr-col-12"}
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', page)}
    assert sizes == {FONT_SIZE} and FONT_SIZE >= 14
    [width] = set(
        re.findall(r'viewBox="0 0 (\d+) \d+" width="100%" style="max-width: (\d+)px"', page)
    )
    assert width[0] == width[1]
