"""Benchmark: the yearly report of the Cambrésis demo (280 projects) and of Brest–COB, as PDF
and ODT, generated the way the task worker does it.

    python bench/report.py --database sqlite|postgres

Loads the demo into a throwaway database, then prints each report's generation time (median
of 5) and size; then the Cambrésis's PDF with its portfolio scaled to `--projects` (2 000 by
default: goal under 5 s).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set

RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--projects", type=int, default=2000)
    arguments = parser.parse_args()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        configure(arguments.database, Path(tmp))
        from django.conf import settings

        settings.MEDIA_ROOT = str(Path(tmp) / "media")
        run(arguments.database, arguments.projects)


def run(database: str, scaled: int) -> None:
    from django.core.management import call_command

    from maillage.accounts.models import User
    from maillage.cooperations.models import Cooperation
    from maillage.reports import services
    from maillage.reports.models import Report

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    coordinator = User.objects.get(email="coordination@maillage.test")
    print(f"== {database}: yearly reports of the demo")
    for slug, year in (("cambresis", 2017), ("brest-cob", 2017)):
        cooperation = Cooperation.objects.get(slug=slug)
        projects = cooperation.projects.count()
        for fmt in ("pdf", "odt"):
            samples, size = [], 0
            for _ in range(RUNS):
                report = Report.objects.create(
                    cooperation=cooperation, year=year, format=fmt, requested_by=coordinator
                )
                start = time.perf_counter()
                services.report_generate(report)
                samples.append(time.perf_counter() - start)
                size = report.document.size
            print(
                f"{slug:10} {year} {fmt}: {statistics.median(samples):6.2f} s"
                f" ({projects} projects, {size / 1000:6.0f} kB)"
            )
    from portfolio import build

    cambresis = Cooperation.objects.get(slug="cambresis")
    build(cambresis, scaled - cambresis.projects.count())
    for fmt in ("pdf", "odt"):
        report = Report.objects.create(
            cooperation=cambresis, year=2017, format=fmt, requested_by=coordinator
        )
        start = time.perf_counter()
        services.report_generate(report)
        seconds = time.perf_counter() - start
        print(
            f"cambresis scaled to {scaled} projects, {fmt}: {seconds:6.2f} s"
            f" ({report.document.size / 1000:6.0f} kB; goal under 5 s)"
        )


if __name__ == "__main__":
    main()
