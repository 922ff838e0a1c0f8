"""Benchmark: importing the whole of France's communes and EPCI, against a raw bulk insert.

    python bench/import_territories.py --database sqlite|postgres [--communes 37500]

Generates France-size files (bench/generate_cog.py), migrates a throwaway database, then
times, in the same run and on the same rows:
- the import commands' importers (read, validate, diff, write, link), in rows per second;
- a raw bulk insert of the same rows (executemany on SQLite, COPY on PostgreSQL);
and the importer's peak Python memory for the file and for a file twice its size.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

POSTGRES_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def configure(database: str, workdir: Path, keep: bool = False) -> None:
    """Point Django at a throwaway database: SQLite in `workdir`, or PostgreSQL's
    BENCH_DATABASE, dropped and created again unless `keep`."""
    if database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        import psycopg

        # A throwaway database, dropped first (WITH FORCE): BENCH_DATABASE names it.
        name = os.environ.get("BENCH_DATABASE", "maillage_bench")
        if not name.replace("_", "").isalnum():
            raise SystemExit(f"BENCH_DATABASE must be a plain name, not {name!r}")
        if not keep:
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["DEBUG"] = "false"  # no query log: it would grow with the file
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--communes", type=int, default=37_500)
    parser.add_argument("--epci", type=int, default=1_250)
    arguments = parser.parse_args()

    # Files and the SQLite database in memory when the machine has /dev/shm: the figures then
    # measure the work, not the disk's fsync latency, which varies a lot on virtual machines.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        workdir = Path(tmp)
        from generate_cog import generate

        generate(workdir / "france", arguments.communes, arguments.epci)
        generate(workdir / "double", arguments.communes * 2, arguments.epci)
        configure(arguments.database, workdir)
        run(workdir, arguments.database)


REPEAT = 3


def timed(action, reset=None, repeat: int = REPEAT) -> float:
    """The best of REPEAT runs (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        if reset is not None:
            reset()
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def run(workdir: Path, database: str) -> None:
    import csv

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from maillage.core.bulk import bulk_insert, db_datetime
    from maillage.core.commands import run_imports
    from maillage.core.text import fold
    from maillage.territories.enums import TYPECOM_KINDS
    from maillage.territories.importers import (
        INSERT_FIELDS,
        CommunesImporter,
        DepartementsImporter,
        EpciCompositionImporter,
        EpciImporter,
        RegionsImporter,
    )
    from maillage.territories.models import Territory, TerritoryMembership

    call_command("migrate", verbosity=0)
    france = workdir / "france"
    run_imports(france / "v_region_2025.csv", [RegionsImporter(actor=None)], dry_run=False)
    run_imports(
        france / "v_departement_2025.csv", [DepartementsImporter(actor=None)], dry_run=False
    )

    def import_communes(folder: Path):
        return run_imports(
            folder / "v_commune_2025.csv", [CommunesImporter(actor=None)], dry_run=False
        )[0]

    def wipe_communes():
        TerritoryMembership.objects.exclude(source="cog_departements").delete()
        Territory.objects.filter(kind__in=TYPECOM_KINDS.values()).delete()

    report = None

    def do_import():
        nonlocal report
        report = import_communes(france)

    seconds = timed(do_import, reset=wipe_communes)
    assert report is not None and report.ok, report.error_lines()[:3] if report else None
    rows = report.rows
    # The same rows, already parsed, straight into the tables: the territories and the
    # memberships the import stores for them (to their département or parent commune).
    now = db_datetime(timezone.now())
    departements = dict(Territory.objects.filter(kind="departement").values_list("code", "pk"))
    next_id = (Territory.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    raw_rows, raw_links, ids = [], [], {}
    with (france / "v_commune_2025.csv").open(encoding="utf-8") as file:
        records = list(csv.DictReader(file))
    for offset, r in enumerate(records):
        pk = next_id + offset
        kind = TYPECOM_KINDS[r["TYPECOM"]]
        ids[(kind == "commune", r["COM"])] = pk
        raw_rows.append(
            (
                pk,
                kind,
                r["COM"],
                "FR",
                r["LIBELLE"],
                int(r["TNCC"]),
                fold(r["LIBELLE"]),
                "",
                "",
                now,
                now,
                now,
            )
        )
    for r in records:
        member = ids[(r["TYPECOM"] == "COM", r["COM"])]
        container = departements[r["DEP"]] if r["TYPECOM"] == "COM" else ids[(True, r["COMPARENT"])]
        raw_links.append((container, member, "cog_communes"))
    wipe_communes()

    def raw_insert_territories():
        with transaction.atomic():
            bulk_insert(Territory, ("id", *INSERT_FIELDS), raw_rows)

    def raw_insert():
        with transaction.atomic():
            bulk_insert(Territory, ("id", *INSERT_FIELDS), raw_rows)
            bulk_insert(TerritoryMembership, ("container_id", "member_id", "source"), raw_links)

    territories_only_seconds = timed(raw_insert_territories, reset=wipe_communes)
    raw_seconds = timed(raw_insert, reset=wipe_communes)
    wipe_communes()
    import_communes(france)  # back to a full referential for the EPCI step

    epci_reports = []

    def do_epci():
        epci_reports.extend(
            run_imports(
                france / "Intercommunalite_Metropole_au_01-01-2025.xlsx",
                [EpciImporter(actor=None), EpciCompositionImporter(actor=None)],
                dry_run=False,
            )
        )

    epci_seconds = timed(do_epci, repeat=1)
    epci_rows = sum(r.rows for r in epci_reports)
    assert all(r.ok for r in epci_reports)

    # Peak memory of the importer: the France file, then a file twice its size.
    peaks = []
    for folder in (france, workdir / "double"):
        wipe_communes()
        tracemalloc.start()
        import_communes(folder)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()

    engine = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(f"\n{connection.vendor}: import of {rows} commune rows")
    print(f"  import_communes   {rows / seconds:10,.0f} rows/s  ({seconds:.2f} s)")
    print(
        f"  raw {engine:<13} {rows / raw_seconds:10,.0f} rows/s  ({raw_seconds:.2f} s: the same territory and membership rows)"
    )
    print(f"  ratio             {raw_seconds / seconds:10.0%} of the raw rate (goal: 50 %)")
    print(f"  (raw {engine}, territory rows alone: {rows / territories_only_seconds:,.0f} rows/s)")
    print(
        f"  import_epci       {epci_rows / epci_seconds:10,.0f} rows/s  ({epci_rows} rows of 2 sheets, {epci_seconds:.2f} s)"
    )
    print(
        f"  peak memory       {peaks[0]:.1f} MB for {rows} rows, {peaks[1]:.1f} MB for {2 * rows} rows"
    )


if __name__ == "__main__":
    main()
