"""Benchmark: a cooperation's portfolio of 10 000 projects, and importing it from a spreadsheet.

    python bench/portfolio.py --database sqlite|postgres [--projects 10000]

Builds a cooperation with N projects (5 financing lines and 3 indicators each) in a throwaway
database, then prints, in the same run:
- the median time of the API list (a page of 100 rows with their financing totals, and the
  count) and of the portfolio page (the same, plus the counts per status and the options of
  the filters), each next to its floor: the raw SQL queries returning the same figures, read
  into Python (and the API's serialised to the same JSON: same rows, same keys, checked);
  floor and view are timed in turn, and their ratio printed (goal: within 3×);
- the number of queries of the page and the API at N and at N / 10 (must be equal), with a
  strategy of 16 items and 6 themes in the filters;
- a deep page (the API at offset N - 100) next to the first (goal: about 1×), and the page as
  the cooperation's coordinator next to a visitor's;
- the import of an N-row and a 2N-row action plan (csv) into an empty cooperation: seconds and
  rows per second (goal: under 10 s for 10 000 rows), timed without tracing; then, in separate
  runs of N / 10 and N / 5 rows traced by tracemalloc (which slows Python several times, so it
  never runs while timing), the import's peak Python memory (should stay flat).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set

RUNS = 15
PAIRED_RUNS = 41


def median_seconds(action, runs: int = RUNS) -> float:
    action()  # warm the caches the first request fills (templates, translations)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def paired_medians(floor, view, runs: int = PAIRED_RUNS) -> tuple[float, float]:
    """The median times of a floor and of the view compared with it, measured in turn (floor,
    view, floor, view…) so that the machine's drift during the run weighs on both alike."""
    floor()
    view()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, times in zip((floor, view), samples, strict=True):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def build(cooperation, count: int) -> None:
    """N projects with their lines and indicators, in bulk (the benchmark measures reading)."""
    from maillage.directory.models import Organisation
    from maillage.projects.models import ExchangeRate, FinancingLine, Indicator, Programme, Project

    ExchangeRate.objects.get_or_create(
        currency="CHF", valid_from=date(2020, 1, 1), defaults={"rate": Decimal("1.0720")}
    )

    funders = Organisation.objects.bulk_create(
        Organisation(name=f"Financeur {n}", search_name=f"financeur {n}", kind="other")
        for n in range(50)
    )
    programmes = list(Programme.objects.all())
    statuses = ["idea", "study", "ready", "engaged", "completed"]
    start = Project.objects.filter(cooperation=cooperation).count()
    projects = Project.objects.bulk_create(
        (
            Project(
                cooperation=cooperation,
                code=f"{start + n:05d}",
                title=f"Projet {start + n}",
                owner=funders[n % 50],
                status=statuses[n % 5],
                structuring=n % 23 == 0,
                total_cost=Decimal(100_000 + n),
                visibility="public",
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    FinancingLine.objects.bulk_create(
        (
            FinancingLine(
                project=p,
                funder=funders[(i + k) % 50],
                programme=programmes[k % len(programmes)],
                amount=Decimal(10_000 + k),
                currency="CHF" if k == 4 else "EUR",  # one line in five in Swiss francs
                status="granted",
            )
            for i, p in enumerate(projects)
            for k in range(5)
        ),
        batch_size=5000,
    )
    Indicator.objects.bulk_create(
        (
            Indicator(project=p, name=f"Indicateur {k}", target=Decimal(100))
            for p in projects
            for k in range(3)
        ),
        batch_size=5000,
    )


# The API's row, column for column in the order of its schema (`projects.api.ProjectOut`: the
# stored columns, the owner's name, the shared status and the late flag), for the benchmark's
# reader (a visitor: public projects only).
FLOOR_SQL = """
SELECT p.id, p.cooperation_id, p.code, p.title, p.summary, p.status,
       CASE p.status WHEN 'idea' THEN 'IDEE' WHEN 'study' THEN 'FAISABILITE'
       WHEN 'ready' THEN 'FAISABILITE' WHEN 'engaged' THEN 'EN_COURS' WHEN 'paused' THEN 'EN_COURS'
       WHEN 'completed' THEN 'TERMINE' ELSE 'ABANDONNE' END,
       p.structuring, p.blocked, p.to_discuss,
       CASE WHEN p.end_date < CURRENT_DATE AND p.status NOT IN ('completed', 'abandoned')
       THEN 1 ELSE 0 END,
       p.owner_id, o.name, p.start_date, p.end_date, p.total_cost, p.currency,
       (SELECT SUM(CASE f.currency WHEN 'EUR' THEN f.amount
               WHEN 'CHF' THEN ROUND(f.amount * %s, 2) END)
        FROM projects_financingline f WHERE f.project_id = p.id),
       p.visibility
FROM projects_project p LEFT JOIN directory_organisation o ON o.id = p.owner_id
WHERE p.cooperation_id = %s AND p.visibility = 'public' ORDER BY p.code LIMIT 100
"""


RATE_SQL = """SELECT rate FROM projects_exchangerate WHERE currency = 'CHF'
AND valid_from <= CURRENT_DATE ORDER BY valid_from DESC LIMIT 1"""

# The benchmark reads as a visitor: the floor applies the same visibility rule (public only).
COUNT_SQL = (
    "SELECT COUNT(*) FROM projects_project WHERE cooperation_id = %s AND visibility = 'public'"
)

# What the page shows beside its rows: the counts per status, and the filters' options.
PAGE_EXTRA_SQL = [
    """SELECT COUNT(*), SUM(CASE WHEN structuring THEN 1 ELSE 0 END),
       SUM(CASE WHEN end_date < CURRENT_DATE AND status NOT IN ('completed', 'abandoned')
       THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'idea' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'study' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'ready' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'engaged' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'paused' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'abandoned' THEN 1 ELSE 0 END)
       FROM projects_project WHERE cooperation_id = %s AND visibility = 'public'""",
    "SELECT id, code, title FROM cooperations_strategynode WHERE cooperation_id = %s ORDER BY code",
    "SELECT id, name FROM cooperations_theme WHERE cooperation_id = %s ORDER BY name",
    """SELECT t.id, t.name FROM territories_territory t WHERE t.id IN (SELECT l.territory_id
       FROM projects_project_territories l JOIN projects_project p ON p.id = l.project_id
       WHERE p.cooperation_id = %s) ORDER BY t.name""",
    """SELECT o.id, o.name FROM directory_organisation o WHERE EXISTS (SELECT 1 FROM
       projects_project p WHERE p.owner_id = o.id AND p.cooperation_id = %s)
       ORDER BY o.search_name""",
    """SELECT o.id, o.name FROM directory_organisation o WHERE EXISTS (SELECT 1 FROM
       projects_financingline f JOIN projects_project p ON p.id = f.project_id
       WHERE f.funder_id = o.id AND p.cooperation_id = %s) ORDER BY o.search_name""",
    "SELECT id, name FROM projects_programme WHERE %s > 0 ORDER BY name",
]


def api_floor(cooperation_id: int) -> str:
    """The API list's figures in raw SQL: the page of 100 with its totals, and the count,
    serialised to the same JSON."""
    from django.db import connection

    with connection.cursor() as cursor:
        # The euro totals convert at the rate in force today, read first (as the view does).
        cursor.execute(RATE_SQL)
        rate = cursor.fetchone()[0]
        cursor.execute(FLOOR_SQL, [rate, cooperation_id])
        rows = cursor.fetchall()
        cursor.execute(COUNT_SQL, [cooperation_id])
        count = cursor.fetchone()[0]
    from maillage.projects.api import ProjectOut

    columns = list(ProjectOut.model_fields)
    items = []
    for values in rows:
        item = dict(zip(columns, values, strict=True))
        for column in ("structuring", "blocked", "to_discuss", "late"):
            item[column] = bool(item[column])
        items.append(item)
    return json.dumps({"items": items, "count": count}, default=str)


def page_floor(cooperation_id: int) -> list:
    """The portfolio page's figures in raw SQL: the API's, the counts and the filters' options."""
    from django.db import connection

    results = [api_floor(cooperation_id)]
    with connection.cursor() as cursor:
        for sql in PAGE_EXTRA_SQL:
            cursor.execute(sql, [cooperation_id])
            results.append(cursor.fetchall())
    return results


def plan_csv(path: Path, rows: int, funders: list[str]) -> None:
    header = "code;titre;statut;porteur;date_debut;date_fin;cout_total;projet_structurant"
    groups = "".join(
        f";financeur_{n};dispositif_{n};montant_{n};statut_financement_{n}" for n in (1, 2, 3)
    )
    with path.open("w", encoding="utf-8") as file:
        file.write(header + groups + "\n")
        for n in range(rows):
            line = f"I{n:06d};Projet importé {n};Engagé;{funders[n % len(funders)]};01/01/2025;2027-12-31;1 250 000,50;{'oui' if n % 23 == 0 else 'non'}"
            for k in range(3):
                line += f";{funders[(n + k) % len(funders)]};FEDER;{10_000 + k} ;Accordé"
            file.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--no-import", action="store_true", help="measure the reads only")
    arguments = parser.parse_args()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        configure(arguments.database, Path(tmp))
        run(Path(tmp), arguments.database, arguments.projects, not arguments.no_import)


def run(workdir: Path, database: str, count: int, imports: bool = True) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from maillage.accounts.models import User
    from maillage.cooperations.models import Cooperation
    from maillage.core.commands import run_imports
    from maillage.directory.models import Organisation
    from maillage.projects.spreadsheet import ActionPlanImporter

    call_command("migrate", verbosity=0)
    small = Cooperation.objects.create(
        title="Petit", slug="petit", kind="other", visibility="public"
    )
    big = Cooperation.objects.create(title="Grand", slug="grand", kind="other", visibility="public")
    build(small, count // 10)
    build(big, count)
    from maillage.accounts.models import Membership
    from maillage.cooperations import services as cooperation_services

    for cooperation in (small, big):
        for n in range(16):
            cooperation_services.strategy_node_create(
                actor=None, cooperation=cooperation, title=f"Action {n}"
            )
        for n in range(6):
            cooperation_services.theme_create(actor=None, cooperation=cooperation, name=f"T{n}")
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    coordinator = User.objects.create_user(email="bench@exemple.test", password="bench-bench")
    Membership.objects.create(user=coordinator, cooperation=big, role="coordinator")
    client = Client()
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)

    def page(slug):
        response = client.get(f"/cooperations/{slug}/projets/")
        assert response.status_code == 200
        return response

    def api(cooperation, offset: int = 0):
        response = client.get(
            f"/api/v1/projects?cooperation={cooperation.pk}&limit=100&offset={offset}"
        )
        assert response.status_code == 200
        return response

    def coordinator_page():
        response = coordinator_client.get("/cooperations/grand/projets/")
        assert response.status_code == 200
        return response

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    print(f"== {database}: portfolio of {count} projects (5 financing lines, 3 indicators each)")
    print(
        f"queries   page: {queries(lambda: page('petit'))} at {count // 10}, {queries(lambda: page('grand'))} at {count}"
        f"   api: {queries(lambda: api(small))} at {count // 10}, {queries(lambda: api(big))} at {count}"
    )
    # The floors return what the views return: the same rows in the same order, the same count.
    served, floor = json.loads(api(big).content), json.loads(api_floor(big.pk))
    assert served["count"] == floor["count"] == count
    assert [row["id"] for row in served["items"]] == [row["id"] for row in floor["items"]]
    assert all(a.keys() == b.keys() for a, b in zip(served["items"], floor["items"], strict=True))
    api_floor_time, api_time = paired_medians(lambda: api_floor(big.pk), lambda: api(big))
    page_floor_time, page_time = paired_medians(lambda: page_floor(big.pk), lambda: page("grand"))
    print(f"API floor (raw SQL: page of 100 + count, JSON): {api_floor_time * 1000:8.2f} ms")
    print(
        f"API list, page of 100:                          {api_time * 1000:8.2f} ms  = {api_time / api_floor_time:5.1f}× its floor"
    )
    print(f"page floor (the API's + counts + filter options): {page_floor_time * 1000:6.2f} ms")
    print(
        f"portfolio page (100 rows, HTML):                {page_time * 1000:8.2f} ms  = {page_time / page_floor_time:5.1f}× its floor"
    )
    deep = count - 100
    assert json.loads(api(big, deep).content)["items"][-1]["code"] == f"{count - 1:05d}"
    first_time, deep_time = paired_medians(lambda: api(big), lambda: api(big, deep))
    print(
        f"API deep page (offset {deep}):                 {deep_time * 1000:8.2f} ms  = {deep_time / first_time:5.1f}× the first page"
    )
    visitor_time, coordinator_time = paired_medians(lambda: page("grand"), coordinator_page)
    print(
        f"portfolio page as its coordinator:              {coordinator_time * 1000:8.2f} ms  = {coordinator_time / visitor_time:5.1f}× a visitor's"
    )

    if not imports:
        return
    funders = list(Organisation.objects.values_list("name", flat=True)[:50])

    def imported(rows: int, traced: bool) -> float:
        path = workdir / f"plan-{rows}.csv"
        plan_csv(path, rows, funders)
        target = Cooperation.objects.create(
            title=f"Import {rows} {traced}", slug=f"import-{rows}-{traced:d}", kind="other"
        )
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        [report] = run_imports(
            path, [ActionPlanImporter(actor=None, cooperation=target)], dry_run=False
        )
        seconds = time.perf_counter() - start
        assert report.ok, report.error_lines()[:3]
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            return peak
        return seconds

    for rows in (count, 2 * count):
        seconds = imported(rows, traced=False)
        print(
            f"import of {rows} rows (3 financing lines each): {seconds:6.1f} s = {rows / seconds:7.0f} rows/s"
        )
    for rows in (count // 10, count // 5):
        print(
            f"import of {rows} rows, peak Python memory (traced): {imported(rows, True) / 1e6:5.1f} MB"
        )


if __name__ == "__main__":
    main()
