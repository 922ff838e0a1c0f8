"""The observatory's demo: the real boundaries of the communes of the seeds' eleven
départements, INSEE's home → work flows in INSEE's layout with made-up figures (labelled
"données de démonstration" wherever shown), the comparateur's dictionary of variables and
illustrative values for every commune (labelled so): populations are the real municipal
populations, areas come from the real boundaries, the rest is drawn around plausible rates."""

import csv
import gzip
import io
import math
import random
from pathlib import Path

import shapely

from maillage.core.commands import run_imports
from maillage.observatory.importers import (
    BoundariesImporter,
    FlowsImporter,
    StatisticsImporter,
    VariablesImporter,
)
from maillage.observatory.models import Boundary, Variable
from maillage.territories.enums import TerritoryKind
from maillage.territories.models import Territory

DATA = Path(__file__).resolve().parent / "data"
DICTIONARY = (
    Path(__file__).resolve().parent.parent / "observatory" / "data" / "variables-comparateur.csv"
)
BOUNDARIES = "communes-11-departements.geojson.gz"
FLOWS = "base-flux-mobilite-domicile-lieu-travail-2022-demonstration.csv.gz"
KM_PER_DEGREE = 111.32


def _check(report) -> None:
    if not report.ok:
        raise RuntimeError("; ".join(report.error_lines()[:5]))


def load_observatory() -> None:
    _check(
        BoundariesImporter(actor=None).run(
            gzip.decompress((DATA / BOUNDARIES).read_bytes()), BOUNDARIES.removesuffix(".gz")
        )
    )
    _check(
        FlowsImporter(
            actor=None,
            kind="home_work",
            year=2022,
            count_column="NBFLUX_C22_ACTOCC15P",
            demonstration=True,
        ).run(gzip.decompress((DATA / FLOWS).read_bytes()), FLOWS.removesuffix(".gz"))
    )
    for report in run_imports(
        DICTIONARY, [VariablesImporter(actor=None, illustrative=True)], dry_run=False
    ):
        _check(report)
    stored = list(Variable.objects.exclude(aggregation="ratio").order_by("code"))
    _check(
        StatisticsImporter(actor=None, variables=stored).run(
            illustrative_statistics([v.code for v in stored]), "base-communale-illustrative.csv"
        )
    )


def illustrative_statistics(codes: list[str]) -> bytes:
    """A "base communale" for the demo's communes: the real population and area, the rest
    drawn (seeded by the commune's code) around rates that follow how urban it is."""
    areas = {
        pk: _area_km2(bytes(wkb))
        for pk, wkb in Boundary.objects.filter(derived=False).values_list(
            "territory_id", "geometry"
        )
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["CODGEO", *codes])
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE, population__isnull=False)
    for pk, code, population in communes.values_list("pk", "code", "population"):
        area = areas.get(pk)
        if not area or population is None:
            continue
        writer.writerow([code, *(_values(code, population, area)[c] for c in codes)])
    return out.getvalue().encode()


def _area_km2(wkb: bytes) -> float:
    geometry = shapely.from_wkb(wkb)
    latitude = geometry.centroid.y
    return geometry.area * KM_PER_DEGREE**2 * math.cos(math.radians(latitude))


def _values(code: str, population: int, area: float) -> dict[str, float]:
    rng = random.Random(code)  # noqa: S311 - made-up figures, seeded to be the same each time
    urban = min(1.0, population / area / 2000)

    def near(value: float, spread: float = 0.1) -> float:
        return value * rng.uniform(1 - spread, 1 + spread)

    shares = {
        "P21_POP0014": near(0.16 + 0.02 * urban),
        "P21_POP1529": near(0.13 + 0.09 * urban),
        "P21_POP3044": near(0.17 + 0.02 * urban),
        "P21_POP4559": near(0.20 - 0.02 * urban),
        "P21_POP6074": near(0.20 - 0.06 * urban),
        "P21_POP75P": near(0.12 - 0.04 * urban),
    }
    total = sum(shares.values())
    ages = {key: round(population * share / total, 2) for key, share in shares.items()}
    working_age = round(population * near(0.60 + 0.05 * urban, 0.04), 2)
    active = round(working_age * near(0.74, 0.05), 2)
    return {
        "P21_POP": population,
        "P15_POP": round(population * near(1.0 - 0.02 * urban, 0.06)),
        "SUPERF": round(area, 2),
        "NAIS1520": round(population * near(0.055 + 0.02 * urban)),
        "DECE1520": round(population * near(0.07 - 0.025 * urban)),
        "P21_EMPLT": round(active * near(0.45 + 1.0 * urban, 0.2), 2),
        "P21_POP1564": working_age,
        "P21_ACT1564": active,
        "P21_CHOM1564": round(active * near(0.08 + 0.06 * urban, 0.25), 2),
        **ages,
        "MED21": round(near(21500 + 2500 * urban, 0.08) / 10) * 10,
    }


def draw_party_outlines() -> None:
    """Draw once the outlines of the territories the cooperations' parties stand for (an EPCI's,
    a Pays's: the union of their communes), as the first visitor of a cooperation's page or of
    the home page's map would: browsing the demo then writes nothing."""
    from maillage.cooperations.models import Party
    from maillage.observatory.services import outlines_of

    ids = Party.objects.filter(territory__isnull=False).values("territory")
    outlines_of(list(Territory.objects.filter(pk__in=ids)))
