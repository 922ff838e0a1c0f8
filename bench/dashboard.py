"""Benchmark: a cooperation's dashboard at 10 000 projects, and the overview of 1 000
cooperations holding 200 000 projects.

    python bench/dashboard.py --database sqlite|postgres [--projects 10000] [--cooperations 1000]

Prints, in the same run:
- the number of queries of the dashboard (page and API) at N / 10 and at N projects, and of the
  overview (page and API) — they must be equal;
- the median time of the dashboard computed afresh (the figures alone, the API, the HTML page
  with its charts; the cache off) next to a floor: the raw SQL aggregates that give the same
  figures, read into a dict, timed in turn with each; and their ratio (goal: within 3×);
- the dashboard page and API served from the cache (core.figures: nothing changed since the
  last request), the everyday case (goal: page p50 under 100 ms at 10 000 projects);
- the same for one page (50 cooperations) of the overview of 1 000 cooperations × 200 projects.
"""

import argparse
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set
from portfolio import build, median_seconds, paired_medians  # noqa: E402

# The same aggregates as maillage/reports/selectors.py, written by hand: what the dashboard
# cannot be faster than. %(c)s is the cooperation.
DASHBOARD_FLOOR = [
    """SELECT COUNT(*), SUM(structuring), SUM(end_date < %(today)s AND status NOT IN
       ('completed', 'abandoned')), SUM(blocked), SUM(status = 'idea'), SUM(status = 'study'),
       SUM(status = 'ready'), SUM(status = 'engaged'), SUM(status = 'completed'),
       SUM(status = 'paused'), SUM(status = 'abandoned')
       FROM projects_project WHERE cooperation_id = %(c)s""",
    """SELECT o.id, o.name, COUNT(*) FROM projects_project p JOIN directory_organisation o
       ON o.id = p.owner_id WHERE p.cooperation_id = %(c)s GROUP BY o.id, o.name
       ORDER BY 3 DESC, 2 LIMIT 12""",
    """SELECT id, parent_id, code, title, position FROM cooperations_strategynode
       WHERE cooperation_id = %(c)s""",
    """SELECT s.parent_id, COUNT(DISTINCT l.project_id) FROM projects_project_strategy_nodes l
       JOIN cooperations_strategynode s ON s.id = l.strategynode_id JOIN projects_project p
       ON p.id = l.project_id WHERE p.cooperation_id = %(c)s GROUP BY s.parent_id""",
    """SELECT t.id, t.name, COUNT(*) FROM projects_project_themes l JOIN cooperations_theme t
       ON t.id = l.theme_id JOIN projects_project p ON p.id = l.project_id
       WHERE p.cooperation_id = %(c)s GROUP BY t.id, t.name ORDER BY 3 DESC, 2""",
    """SELECT t.id, t.name, COUNT(*) FROM projects_project_territories l
       JOIN territories_territory t ON t.id = l.territory_id JOIN projects_project p
       ON p.id = l.project_id WHERE p.cooperation_id = %(c)s GROUP BY t.id, t.name
       ORDER BY 3 DESC, 2 LIMIT 12""",
    """SELECT currency, SUM(total_cost) FROM projects_project WHERE cooperation_id = %(c)s
       GROUP BY currency""",
    """SELECT f.status, f.currency, SUM(f.amount) FROM projects_financingline f
       JOIN projects_project p ON p.id = f.project_id WHERE p.cooperation_id = %(c)s
       GROUP BY f.status, f.currency""",
    """SELECT f.funder_id, o.name, f.currency, SUM(f.amount) FROM projects_financingline f
       JOIN projects_project p ON p.id = f.project_id JOIN directory_organisation o
       ON o.id = f.funder_id WHERE p.cooperation_id = %(c)s GROUP BY f.funder_id, o.name,
       f.currency""",
    """SELECT f.programme_id, g.name, f.currency, SUM(f.amount) FROM projects_financingline f
       JOIN projects_project p ON p.id = f.project_id LEFT JOIN projects_programme g
       ON g.id = f.programme_id WHERE p.cooperation_id = %(c)s GROUP BY f.programme_id, g.name,
       f.currency""",
    """SELECT currency, valid_from, rate FROM projects_exchangerate WHERE valid_from <= %(today)s
       ORDER BY valid_from DESC""",
    """SELECT COUNT(*), COUNT(i.target), COUNT(v.value), SUM(v.value >= i.target)
       FROM projects_indicator i JOIN projects_project p ON p.id = i.project_id
       LEFT JOIN projects_indicatorvalue v ON v.id = (SELECT id FROM projects_indicatorvalue
       WHERE indicator_id = i.id ORDER BY date DESC, id DESC LIMIT 1)
       WHERE p.cooperation_id = %(c)s""",
    """SELECT b.id, b.name, b.meetings_per_year, COUNT(m.id) FROM governance_body b
       LEFT JOIN governance_meeting m ON m.body_id = b.id AND m.start >= %(year_start)s
       WHERE b.cooperation_id = %(c)s GROUP BY b.id, b.name, b.meetings_per_year""",
    """SELECT COUNT(*) FROM governance_decision d JOIN governance_body b ON b.id = d.body_id
       WHERE b.cooperation_id = %(c)s AND d.date >= %(year_start)s""",
    """SELECT status, COUNT(*) FROM cooperations_proposal WHERE cooperation_id = %(c)s
       GROUP BY status""",
    """SELECT COUNT(DISTINCT proposal_id) FROM projects_project WHERE cooperation_id = %(c)s""",
    """SELECT COUNT(*) FROM projects_project WHERE cooperation_id = %(c)s
       AND created_at >= %(year_start)s""",
    """SELECT COUNT(*) FROM projects_journalentry j JOIN projects_project p
       ON p.id = j.project_id WHERE p.cooperation_id = %(c)s AND j.kind = 'status'
       AND j.status_before <> '' AND j.date >= %(year_start)s""",
]

OVERVIEW_FLOOR = [
    """SELECT cooperation_id, COUNT(*), SUM(status = 'engaged'), SUM(structuring),
       SUM(end_date < %(today)s AND status NOT IN ('completed', 'abandoned'))
       FROM projects_project WHERE cooperation_id IN %(ids)s GROUP BY cooperation_id""",
    """SELECT cooperation_id, currency, SUM(total_cost) FROM projects_project
       WHERE cooperation_id IN %(ids)s GROUP BY cooperation_id, currency""",
    """SELECT p.cooperation_id, f.currency, SUM(f.amount) FROM projects_financingline f
       JOIN projects_project p ON p.id = f.project_id WHERE p.cooperation_id IN %(ids)s
       AND f.status IN ('granted', 'paid') GROUP BY p.cooperation_id, f.currency""",
    """SELECT b.cooperation_id, b.meetings_per_year, COUNT(m.id) FROM governance_body b
       LEFT JOIN governance_meeting m ON m.body_id = b.id AND m.start >= %(year_start)s
       WHERE b.cooperation_id IN %(ids)s AND b.meetings_per_year IS NOT NULL
       GROUP BY b.id, b.cooperation_id, b.meetings_per_year""",
    """SELECT cooperation_id, COUNT(*) FROM governance_meeting WHERE cooperation_id IN %(ids)s
       AND start >= %(year_start)s GROUP BY cooperation_id""",
    """SELECT b.cooperation_id, COUNT(*) FROM governance_decision d JOIN governance_body b
       ON b.id = d.body_id WHERE b.cooperation_id IN %(ids)s AND d.date >= %(year_start)s
       GROUP BY b.cooperation_id""",
]


def run_floor(statements: list[str], params: dict, database: str) -> dict:
    """Run the hand-written aggregates; booleans summed the way each database allows."""
    from django.db import connection

    results = {}
    with connection.cursor() as cursor:
        for index, sql in enumerate(statements):
            if database == "postgres":
                sql = sql.replace("SUM(structuring)", "SUM(structuring::int)")
                sql = sql.replace("SUM(blocked)", "SUM(blocked::int)")
                for expression in (
                    "status = 'idea'",
                    "status = 'study'",
                    "status = 'ready'",
                    "status = 'engaged'",
                    "status = 'completed'",
                    "status = 'paused'",
                    "status = 'abandoned'",
                    "v.value >= i.target",
                ):
                    sql = sql.replace(f"SUM({expression})", f"SUM(({expression})::int)")
                sql = sql.replace(
                    "SUM(end_date < %(today)s AND status NOT IN\n       ('completed', 'abandoned'))",
                    "SUM((end_date < %(today)s AND status NOT IN\n       ('completed', 'abandoned'))::int)",
                )
                sql = sql.replace(
                    "SUM(end_date < %(today)s AND status NOT IN ('completed', 'abandoned'))",
                    "SUM((end_date < %(today)s AND status NOT IN ('completed', 'abandoned'))::int)",
                )
            sql = sql.replace("IN %(ids)s", "IN (" + ", ".join(map(str, params["ids"])) + ")")
            cursor.execute(sql, params)
            results[index] = cursor.fetchall()
    return results


def build_overview(cooperations: int, per_cooperation: int) -> list:
    """Many cooperations, each with its projects, two financing lines each and a body."""
    from maillage.cooperations.models import Cooperation
    from maillage.directory.models import Organisation
    from maillage.governance.models import Body
    from maillage.projects.models import FinancingLine, Project

    funder = Organisation.objects.create(name="Région", search_name="region", kind="other")
    made = Cooperation.objects.bulk_create(
        Cooperation(
            title=f"Coopération {n:04d}", slug=f"cooperation-{n}", kind="other", visibility="public"
        )
        for n in range(cooperations)
    )
    Body.objects.bulk_create(
        Body(cooperation=c, name="Comité", kind="other", meetings_per_year=1) for c in made
    )
    statuses = ["idea", "study", "ready", "engaged", "completed"]
    for chunk in range(0, len(made), 100):
        projects = Project.objects.bulk_create(
            (
                Project(
                    cooperation=c,
                    code=f"{n:04d}",
                    title=f"Projet {n}",
                    status=statuses[n % 5],
                    structuring=n % 23 == 0,
                    total_cost=Decimal(100_000 + n),
                    visibility="public",
                )
                for c in made[chunk : chunk + 100]
                for n in range(per_cooperation)
            ),
            batch_size=5000,
        )
        FinancingLine.objects.bulk_create(
            (
                FinancingLine(
                    project=p, funder=funder, amount=Decimal(10_000 + k), status="granted"
                )
                for p in projects
                for k in range(2)
            ),
            batch_size=5000,
        )
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--cooperations", type=int, default=1_000)
    parser.add_argument("--per-cooperation", type=int, default=200)
    arguments = parser.parse_args()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        configure(arguments.database, Path(tmp))
        run(arguments)


def link_strategy(cooperation, count: int) -> None:
    """Axes, actions and themes for the cooperation's projects (what the breakdowns group)."""
    from maillage.cooperations.models import StrategyNode, Theme
    from maillage.projects.models import Project

    axes = [
        StrategyNode.objects.create(cooperation=cooperation, title=f"Axe {n}", position=n)
        for n in range(4)
    ]
    actions = [
        StrategyNode.objects.create(cooperation=cooperation, title=f"Action {n}", parent=axis)
        for n, axis in enumerate(axes * 3)
    ]
    themes = [Theme.objects.create(cooperation=cooperation, name=f"Thème {n}") for n in range(6)]
    pks = list(Project.objects.filter(cooperation=cooperation).values_list("pk", flat=True))
    Project.strategy_nodes.through.objects.bulk_create(
        (
            Project.strategy_nodes.through(project_id=pk, strategynode_id=actions[i % 12].pk)
            for i, pk in enumerate(pks)
        ),
        batch_size=5000,
    )
    Project.themes.through.objects.bulk_create(
        (
            Project.themes.through(project_id=pk, theme_id=themes[i % 6].pk)
            for i, pk in enumerate(pks)
        ),
        batch_size=5000,
    )


def run(arguments) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from maillage.accounts.models import User
    from maillage.cooperations.models import Cooperation
    from maillage.reports import selectors

    database, count = arguments.database, arguments.projects
    call_command("migrate", verbosity=0)
    small = Cooperation.objects.create(
        title="Petit", slug="petit", kind="other", visibility="public"
    )
    big = Cooperation.objects.create(title="Grand", slug="grand", kind="other", visibility="public")
    build(small, count // 10)
    build(big, count)
    link_strategy(small, count // 10)
    link_strategy(big, count)
    staff = User.objects.create_user(email="bench@exemple.test", password="bench-bench-bench")
    staff.is_staff = True
    staff.save()
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(staff)

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, path
        return response

    page_path, api_path = (
        "/cooperations/grand/tableau-de-bord/",
        "/api/v1/cooperations/grand/dashboard",
    )

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    today = timezone.localdate()
    params = {
        "today": today,
        "year_start": today.replace(month=1, day=1),
        "ids": [],
    }
    print(f"== {database}: dashboard of a cooperation of {count} projects")

    def floor():
        return run_floor(DASHBOARD_FLOOR, {**params, "c": big.pk}, database)

    with override_settings(FIGURES_CACHE_SECONDS=0):  # computed afresh at each request
        print(
            "queries   page: "
            f"{queries(lambda: get('/cooperations/petit/tableau-de-bord/'))} at {count // 10}, "
            f"{queries(lambda: get('/cooperations/grand/tableau-de-bord/'))} at {count}   api: "
            f"{queries(lambda: get('/api/v1/cooperations/petit/dashboard'))} at {count // 10}, "
            f"{queries(lambda: get('/api/v1/cooperations/grand/dashboard'))} at {count}"
        )
        assert floor()[0][0][0] == selectors.dashboard(staff, big).projects.total == count, "floor"
        timings = [
            (name, *paired_medians(floor, action, runs=9))
            for name, action in (
                ("figures (selectors.dashboard)", lambda: selectors.dashboard(staff, big)),
                ("API /cooperations/{id}/dashboard", lambda: get(api_path)),
                ("dashboard page (HTML, 8 charts)", lambda: get(page_path)),
            )
        ]
    for name, floor_time, seconds in timings:
        print(
            f"{name:39} {seconds * 1000:8.2f} ms = {seconds / floor_time:5.1f}× its floor"
            f" ({floor_time * 1000:.2f} ms, timed in turn)"
        )
    with override_settings(FIGURES_CACHE_SECONDS=3600):  # as with Redis in production
        fresh = get(api_path).content
        print(f"queries   cached page: {queries(lambda: get(page_path))}")
        assert get(api_path).content == fresh  # the cached answer is the computed one
        for name, path in (("API, cached", api_path), ("page, cached", page_path)):
            seconds = median_seconds(lambda path=path: get(path))
            print(f"dashboard {name:29} {seconds * 1000:8.2f} ms")

    made = build_overview(arguments.cooperations, arguments.per_cooperation)
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = arguments.cooperations * arguments.per_cooperation
    print(
        f"== {database}: overview of {arguments.cooperations} cooperations holding {total} projects"
        " (a page of 50)"
    )
    first_page = list(
        selectors.overview_cooperations(staff, selectors.OverviewFilters())[
            : selectors.OVERVIEW_PAGE_SIZE
        ]
    )
    few = list(
        selectors.overview_cooperations(staff, selectors.OverviewFilters()).filter(
            pk__in=[made[0].pk, small.pk]
        )
    )
    print(
        "queries   figures: "
        f"{queries(lambda: selectors.overview(staff, few))} for 2 cooperations, "
        f"{queries(lambda: selectors.overview(staff, first_page))} for 50   page: "
        f"{queries(lambda: get('/tableau-de-bord/?perimetre=toutes'))}   api: "
        f"{queries(lambda: get('/api/v1/dashboard/overview'))}"
    )
    ids = [c.pk for c in first_page]
    floor_time = median_seconds(lambda: run_floor(OVERVIEW_FLOOR, {**params, "ids": ids}, database))
    figures_time = median_seconds(lambda: selectors.overview(staff, first_page))
    api_time = median_seconds(lambda: get("/api/v1/dashboard/overview"))
    page_time = median_seconds(lambda: get("/tableau-de-bord/?perimetre=toutes"))
    print(f"floor (the same aggregates in raw SQL): {floor_time * 1000:8.2f} ms")
    for name, seconds in (
        ("figures (selectors.overview)", figures_time),
        ("API /dashboard/overview", api_time),
        ("overview page (HTML)", page_time),
    ):
        print(f"{name:39} {seconds * 1000:8.2f} ms = {seconds / floor_time:5.1f}× the floor")


if __name__ == "__main__":
    main()
