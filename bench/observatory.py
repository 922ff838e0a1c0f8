"""Benchmark: the observatory at the size of France.

    python bench/observatory.py --database sqlite|postgres [--communes 37500] [--flows 1200000]

Generates France-size files (bench/generate_cog.py for the communes and EPCI; here, a
boundary per commune — a 40-point ring —, INSEE's home → work flow file with about
1.2 million rows, and a statistics file of 20 variables), imports the referential, then prints,
in the same run:
- the boundary import and the flow import, in rows per second, each next to a raw bulk insert
  of the same rows into the same table (executemany on SQLite, COPY on PostgreSQL; goal: the
  import at no less than half the raw rate), and the flow import's peak Python memory for a
  file and for a file twice its size (flat: it streams);
- the flows between two EPCI (both ways), the top-20 destinations of an EPCI at EPCI level, and
  the profile of a Pays of 100 communes (beside its département, région and France), each next
  to a hand-written raw-SQL floor giving the same answer (checked), timed in turn; goal 2×;
- the map of a département (its communes' outlines as GeoJSON, through the API): time and
  size (goal: under 300 ms and 1 MB).
"""

import argparse
import csv
import json
import math
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure, timed  # noqa: E402 - after the path is set
from portfolio import paired_medians  # noqa: E402

VARIABLES = [
    "P21_POP",
    "P15_POP",
    "SUPERF",
    "NAIS1520",
    "DECE1520",
    "P21_EMPLT",
    "P21_ACT1564",
    "P21_CHOM1564",
    "P21_POP1564",
    "P21_POP0014",
    "P21_POP1529",
    "P21_POP3044",
    "P21_POP4559",
    "P21_POP6074",
    "P21_POP75P",
    "MED21",
]


def place(code: str) -> tuple[float, float]:
    """Where a generated commune lies: its département a block on a grid, the commune a cell."""
    dep, number = int(code[:2].replace("A", "0").replace("B", "1")), int(code[2:])
    x0, y0 = 42.0 + (dep % 10) * 1.2, -4.0 + (dep // 10) * 1.2
    return x0 + (number % 25) * 0.045, y0 + (number // 25) * 0.045


def write_boundaries(path: Path, codes: list[str]) -> None:
    with path.open("w", encoding="utf-8") as file:
        file.write('{"type":"FeatureCollection","features":[\n')
        for index, code in enumerate(codes):
            lat, lon = place(code)
            ring = [
                [
                    round(lon + 0.0224 * math.cos(2 * math.pi * k / 40), 6),
                    round(lat + 0.0224 * math.sin(2 * math.pi * k / 40), 6),
                ]
                for k in range(40)
            ]
            ring.append(ring[0])
            feature = {
                "type": "Feature",
                "properties": {"code": code, "nom": f"Commune {code}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
            file.write(("," if index else "") + json.dumps(feature) + "\n")
        file.write("]}\n")


def write_flows(path: Path, codes: list[str], rows: int, seed: int = 22) -> int:
    """A home → work file in INSEE's layout: each commune to itself, its neighbours (by number,
    in its département), a few far away and, for some, Switzerland."""
    rng = random.Random(seed)
    per_commune = max(rows // len(codes), 2)
    by_dep: dict[str, list[str]] = {}
    for code in codes:
        by_dep.setdefault(code[:2], []).append(code)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["CODGEO", "LIBGEO", "DCLT", "L_DCLT", "NBFLUX_C22_ACTOCC15P"])
        for code in codes:
            same = by_dep[code[:2]]
            here = same.index(code)
            targets = [code]
            for step in range(1, per_commune - 2):
                targets.append(same[(here + step) % len(same)])
            targets.append(rng.choice(codes))
            targets.append("99140" if rng.random() < 0.05 else rng.choice(codes))
            for target in dict.fromkeys(targets):
                name = "Suisse" if target == "99140" else f"Commune {target}"
                value = rng.random() * (400 if target == code else 20)
                writer.writerow([code, f"Commune {code}", target, name, f"{value:.6f}"])
                written += 1
    return written


def write_statistics(path: Path, codes: list[str]) -> None:
    rng = random.Random(21)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["CODGEO", "LIBGEO", *VARIABLES])
        for code in codes:
            population = rng.randint(50, 5000)
            values = [population, int(population * rng.uniform(0.9, 1.1))]
            values += [rng.randint(5, 40) for _ in VARIABLES[2:-1]]
            values.append(rng.randint(17000, 30000))
            writer.writerow([code, f"Commune {code}", *values])


def write_dictionary(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(
            ["code", "libelle", "agregation", "numerateur", "denominateur", "multiplicateur"]
        )
        for code in VARIABLES:
            writer.writerow([code, code, "none" if code == "MED21" else "sum", "", "", ""])
        writer.writerow(["DENSITE", "Densité", "ratio", "P21_POP", "SUPERF", "1"])
        writer.writerow(
            ["EVOL_POP_15_21", "Évolution", "ratio", "P21_POP-P15_POP", "P15_POP", "100"]
        )
        writer.writerow(["TX_CHOM_1564", "Chômage", "ratio", "P21_CHOM1564", "P21_ACT1564", "100"])
        writer.writerow(["TX_ACT_1564", "Activité", "ratio", "P21_ACT1564", "P21_POP1564", "100"])
        writer.writerow(
            ["IND_JEUNESSE", "Jeunesse", "ratio", "P21_POP0014", "P21_POP6074+P21_POP75P", "100"]
        )
        for band in ("0014", "1529", "3044", "4559", "6074", "75P"):
            writer.writerow([f"PART_{band}", band, "ratio", f"P21_POP{band}", "P21_POP", "100"])


# The floors: the same answers in hand-written SQL, with the memberships joined directly (the
# generated referential is two levels deep: commune ∈ EPCI, commune ∈ département ∈ région).
BETWEEN_FLOOR = """
SELECT mo.container_id, md.container_id, SUM(f.value)
FROM observatory_flow f
JOIN territories_territorymembership mo ON mo.member_id = f.origin_id AND mo.container_id IN (%s, %s)
JOIN territories_territorymembership md ON md.member_id = f.destination_id AND md.container_id IN (%s, %s)
WHERE f.dataset_id = %s
GROUP BY mo.container_id, md.container_id
"""
TOP_FLOOR = """
SELECT COALESCE((
    SELECT m.container_id FROM territories_territorymembership m
    JOIN territories_territory c ON c.id = m.container_id
    WHERE m.member_id = f.destination_id AND c.kind = 'epci' LIMIT 1
), f.destination_id) AS place, SUM(f.value) AS total
FROM territories_territorymembership mo
JOIN observatory_flow f ON f.origin_id = mo.member_id AND f.dataset_id = %s
WHERE mo.container_id = %s
GROUP BY place ORDER BY total DESC, place LIMIT 20
"""
PROFILE_FLOOR = """
SELECT m.container_id, v.variable_id, SUM(v.value)
FROM observatory_statisticvalue v
JOIN territories_territorymembership m ON m.member_id = v.territory_id AND m.container_id IN (%s, %s)
GROUP BY m.container_id, v.variable_id
UNION ALL
SELECT r.container_id, v.variable_id, SUM(v.value)
FROM observatory_statisticvalue v
JOIN territories_territorymembership d ON d.member_id = v.territory_id
JOIN territories_territorymembership r ON r.member_id = d.container_id AND r.container_id = %s
GROUP BY r.container_id, v.variable_id
UNION ALL
SELECT NULL, id, france_total FROM observatory_variable WHERE france_total IS NOT NULL
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--communes", type=int, default=37_500)
    parser.add_argument("--flows", type=int, default=1_200_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        from generate_cog import generate

        generate(workdir / "france", arguments.communes, 1_250)
        configure(arguments.database, workdir)
        run(workdir, arguments.flows)


def run(workdir: Path, flow_rows: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from maillage.core.bulk import bulk_insert, db_datetime
    from maillage.core.commands import run_imports
    from maillage.observatory import selectors
    from maillage.observatory.enums import FlowLevel
    from maillage.observatory.importers import (
        BOUNDARY_COLUMNS,
        BoundariesImporter,
        FlowsImporter,
        StatisticsImporter,
        VariablesImporter,
        commune_ids,
    )
    from maillage.observatory.models import Boundary, Flow, FlowDataset, Variable
    from maillage.territories.importers import (
        CommunesImporter,
        DepartementsImporter,
        EpciCompositionImporter,
        EpciImporter,
        RegionsImporter,
    )
    from maillage.territories.models import Territory, TerritoryMembership

    call_command("migrate", verbosity=0)
    france = workdir / "france"
    for name, importers in (
        ("v_region_2025.csv", [RegionsImporter(actor=None)]),
        ("v_departement_2025.csv", [DepartementsImporter(actor=None)]),
        ("v_commune_2025.csv", [CommunesImporter(actor=None)]),
        (
            "Intercommunalite_Metropole_au_01-01-2025.xlsx",
            [EpciImporter(actor=None), EpciCompositionImporter(actor=None)],
        ),
    ):
        assert all(r.ok for r in run_imports(france / name, importers, dry_run=False))
    codes = sorted(Territory.objects.filter(kind="commune").values_list("code", flat=True))
    print(f"\n{connection.vendor}: {len(codes)} communes")

    # Boundaries --------------------------------------------------------------------------
    boundaries = workdir / "communes.geojson"
    write_boundaries(boundaries, codes)

    def import_boundaries():
        (report,) = run_imports(boundaries, [BoundariesImporter(actor=None)], dry_run=False)
        assert report.ok, report.error_lines()[:3]

    boundary_seconds = timed(import_boundaries, repeat=2)
    stored = list(Boundary.objects.values_list(*BOUNDARY_COLUMNS[:-1]))
    now = db_datetime(timezone.now())
    stored = [(*row[:1], bytes(row[1]), *row[2:], now) for row in stored]

    def raw_boundaries():
        with transaction.atomic():
            Boundary.objects.all().delete()
            bulk_insert(Boundary, BOUNDARY_COLUMNS, stored)

    raw_boundary_seconds = timed(raw_boundaries, repeat=2)
    engine = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(
        f"  import_boundaries {len(codes) / boundary_seconds:10,.0f} rows/s ({boundary_seconds:.2f} s)"
    )
    print(
        f"  raw {engine:<13} {len(codes) / raw_boundary_seconds:10,.0f} rows/s ({raw_boundary_seconds:.2f} s, the same rows already made)"
    )

    # Flows -------------------------------------------------------------------------------
    flows = workdir / "base-flux-mobilite-domicile-lieu-travail-2022.csv"
    rows = write_flows(flows, codes, flow_rows)

    def flows_importer():
        return FlowsImporter(
            actor=None, kind="home_work", year=2022, count_column="NBFLUX_C22_ACTOCC15P"
        )

    def import_flows(path: Path = flows):
        (report,) = run_imports(path, [flows_importer()], dry_run=False)
        assert report.ok, report.error_lines()[:3]

    # The same rows, parsed, straight into the same table (the dataset's flows deleted first,
    # as the import does).
    ids = commune_ids()
    import_flows()
    switzerland = Territory.objects.get(kind="country", code="99140").pk
    ids["99140"] = switzerland
    with flows.open(encoding="utf-8") as file:
        reader = csv.reader(file, delimiter=";")
        next(reader)
        parsed = [(ids[r[0]], ids[r[2]], float(r[4])) for r in reader]

    def raw_flows():
        with transaction.atomic():
            dataset = FlowDataset.objects.get(kind="home_work", year=2022)
            Flow.objects.filter(dataset=dataset).delete()
            bulk_insert(
                Flow,
                ("dataset", "origin", "destination", "value"),
                ((dataset.pk, o, d, v) for o, d, v in parsed),
            )

    import_seconds, raw_seconds = [], []
    for _ in range(2):  # in turn
        import_seconds.append(timed(import_flows, repeat=1))
        raw_seconds.append(timed(raw_flows, repeat=1))
    seconds, raw = min(import_seconds), min(raw_seconds)
    print(f"  import_flows      {rows / seconds:10,.0f} rows/s ({rows} rows, {seconds:.2f} s)")
    print(f"  raw {engine:<13} {rows / raw:10,.0f} rows/s ({raw:.2f} s)")
    print(f"  ratio             {raw / seconds:10.0%} of the raw rate (goal: at least 50 %)")

    peaks = []
    for share in (8, 4):
        part = workdir / f"flows-{share}.csv"
        with flows.open(encoding="utf-8") as source, part.open("w", encoding="utf-8") as out:
            for index, line in enumerate(source):
                if index <= rows // share:
                    out.write(line)
        tracemalloc.start()
        import_flows(part)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
    print(
        f"  peak memory       {peaks[0]:.1f} MB for {rows // 8} rows, {peaks[1]:.1f} MB for {rows // 4} rows"
    )
    import_flows()
    dataset = selectors.dataset_for("home_work", 2022)
    assert dataset is not None

    # Aggregations ------------------------------------------------------------------------
    epcis = list(Territory.objects.filter(kind="epci").order_by("code")[:2])

    def between():
        return selectors.flow_matrix(epcis, dataset)

    def between_floor():
        with connection.cursor() as cursor:
            cursor.execute(BETWEEN_FLOOR, [epcis[0].pk, epcis[1].pk] * 2 + [dataset.pk])
            return {(o, d): float(v) for o, d, v in cursor.fetchall()}

    assert _close(between(), between_floor()), (between(), between_floor())
    floor_s, view_s = paired_medians(between_floor, between)
    print(
        f"  flows between 2 EPCI     {view_s * 1000:7.1f} ms, floor {floor_s * 1000:6.1f} ms: {view_s / floor_s:.1f}×"
    )

    def top():
        return [
            (d.territory.pk, d.value)
            for d in selectors.top_places(epcis[0], dataset, level=FlowLevel.EPCI)
        ]

    def top_floor():
        with connection.cursor() as cursor:
            cursor.execute(TOP_FLOOR, [dataset.pk, epcis[0].pk])
            rows = cursor.fetchall()
        names = Territory.objects.in_bulk([pk for pk, _v in rows])
        return [(names[pk].pk, float(v)) for pk, v in rows]

    assert _close(dict(top()), dict(top_floor()))
    floor_s, view_s = paired_medians(top_floor, top)
    print(
        f"  top-20 EPCI destinations {view_s * 1000:7.1f} ms, floor {floor_s * 1000:6.1f} ms: {view_s / floor_s:.1f}×"
    )

    # Profile of a Pays of 100 communes -----------------------------------------------------
    dictionary = workdir / "variables.csv"
    write_dictionary(dictionary)
    assert all(
        r.ok for r in run_imports(dictionary, [VariablesImporter(actor=None)], dry_run=False)
    )
    statistics = workdir / "base-communale.csv"
    write_statistics(statistics, codes)
    stored_variables = list(Variable.objects.exclude(aggregation="ratio").order_by("code"))
    start = time.perf_counter()
    (report,) = run_imports(
        statistics, [StatisticsImporter(actor=None, variables=stored_variables)], dry_run=False
    )
    assert report.ok, report.error_lines()[:3]
    print(
        f"  import_statistics {len(codes) / (time.perf_counter() - start):10,.0f} communes/s ({len(stored_variables)} variables)"
    )
    departement = Territory.objects.filter(kind="departement", code="29").get()
    region = Territory.objects.above(departement).get(kind="region")
    members = list(
        Territory.objects.filter(kind="commune", code__startswith="29").order_by("code")[:100]
    )
    pays = Territory.objects.create(kind="pays", name="Pays de cent communes")
    TerritoryMembership.objects.bulk_create(
        TerritoryMembership(container=pays, member=m) for m in members
    )

    def profile():
        return selectors.profile(pays)

    def profile_floor():
        with connection.cursor() as cursor:
            cursor.execute(PROFILE_FLOOR, [pays.pk, departement.pk, region.pk])
            return cursor.fetchall()

    found = profile()
    assert [c.pk if c else None for c in found.columns] == [
        pays.pk,
        departement.pk,
        region.pk,
        None,
    ]
    population = next(
        r for _t, rows in found.sections for r in rows if r.variable.code == "P21_POP"
    )
    floor_rows = profile_floor()
    population_id = Variable.objects.get(code="P21_POP").pk
    floor_population = {root: v for root, variable, v in floor_rows if variable == population_id}
    assert population.values == [
        floor_population[pays.pk],
        floor_population[departement.pk],
        floor_population[region.pk],
        floor_population[None],
    ], (population.values, floor_population)
    floor_s, view_s = paired_medians(profile_floor, profile)
    print(
        f"  profile of a Pays of 100 {view_s * 1000:7.1f} ms, floor {floor_s * 1000:6.1f} ms: {view_s / floor_s:.1f}×"
    )

    # The map of a département --------------------------------------------------------------
    client = Client()
    url = f"/api/v1/territories/{departement.pk}/map"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    count = len(json.loads(response.content)["features"])
    samples = []
    for _ in range(15):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(
        f"  map of a département      {samples[len(samples) // 2] * 1000:7.1f} ms, {size / 1e6:.2f} MB, {count} communes (goal: 300 ms, 1 MB)"
    )


def _close(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) < 1e-6 * max(1, abs(b[k])) for k in a)


if __name__ == "__main__":
    main()
