"""The observatory's reads: flows aggregated to any level and statistics of any territory,
each in one query whatever the number of communes, from the recursive walk of memberships
(`territories.models`) joined to the flows or the values."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.observatory.enums import Aggregation, FlowKind, FlowLevel
from maillage.observatory.models import Boundary, FlowDataset, StatisticValue, Variable
from maillage.territories.enums import COMMUNE_LEVEL_KINDS, Country, TerritoryKind
from maillage.territories.models import Territory

# Each root with every territory under it, itself included (a commune is its own unit; a
# country abroad, a flow's destination, too). The queries below filter on the ids under the
# roots so that each database reads the flows through their index for those few ids: SQLite
# with `IN (SELECT id FROM below)` (a plain join made it build a Bloom filter over every
# flow), PostgreSQL with `= ANY(ARRAY(SELECT id FROM below))`, computed once before the scan
# (it misjudges a recursive CTE's size and hashed the whole flow table).
_BELOW = """
WITH RECURSIVE below(root, id) AS (
    SELECT id, id FROM territories_territory WHERE id IN ({roots})
    UNION
    SELECT below.root, m.member_id FROM territories_territorymembership m
    JOIN below ON m.container_id = below.id
)
"""

_MATRIX = (
    _BELOW
    + """
SELECT o.root, d.root, SUM(f.value)
FROM observatory_flow f
JOIN below o ON o.id = f.origin_id
JOIN below d ON d.id = f.destination_id
WHERE f.origin_id {in_below} AND f.dataset_id = %s
GROUP BY o.root, d.root
"""
)

_TOP = (
    _BELOW
    + """
SELECT {place} AS place, SUM(f.value) AS total
FROM observatory_flow f
WHERE f.{inside}_id {in_below} AND f.dataset_id = %s
GROUP BY place
ORDER BY total DESC, place
LIMIT %s
"""
)

# The container of a given kind of a flow's other end, looked up by its index for each of
# the flows read (a join would hash every membership of that kind).
_UP = """COALESCE((
    SELECT m.container_id FROM territories_territorymembership m
    JOIN territories_territory c ON c.id = m.container_id
    WHERE m.member_id = f.{outside}_id AND c.kind = %s
    LIMIT 1
), f.{outside}_id)"""

_BALANCE = (
    _BELOW  # noqa: S608 - constant text; placeholders and column names only
    + """
SELECT
    (SELECT SUM(f.value) FROM observatory_flow f
     WHERE f.origin_id {in_below} AND f.dataset_id = %s
       AND f.destination_id {in_below}),
    (SELECT SUM(f.value) FROM observatory_flow f
     WHERE f.origin_id {in_below} AND f.dataset_id = %s
       AND f.destination_id {not_in_below}),
    (SELECT SUM(f.value) FROM observatory_flow f
     WHERE f.destination_id {in_below} AND f.dataset_id = %s
       AND f.origin_id {not_in_below})
"""
)

_VALUES = (
    _BELOW
    + """
SELECT below.root, v.variable_id, SUM(v.value)
FROM observatory_statisticvalue v
JOIN below ON below.id = v.territory_id
WHERE v.territory_id {in_below} AND v.variable_id IN ({variables})
GROUP BY below.root, v.variable_id
"""
)


def _below_filter() -> dict[str, str]:
    if connection.vendor == "postgresql":
        return {
            "in_below": "= ANY(ARRAY(SELECT id FROM below))",
            "not_in_below": "<> ALL(ARRAY(SELECT id FROM below))",
        }
    return {
        "in_below": "IN (SELECT id FROM below)",
        "not_in_below": "NOT IN (SELECT id FROM below)",
    }


def _marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Flows -------------------------------------------------------------------------------------


def datasets() -> QuerySet[FlowDataset]:
    return FlowDataset.objects.order_by("kind", "-year")


def countries_abroad() -> QuerySet[Territory]:
    """The countries other than France, where flows may lead (99140 Suisse)."""
    return (
        Territory.objects.filter(kind=TerritoryKind.COUNTRY)
        .exclude(country=Country.FRANCE)
        .order_by("search_name")
    )


def dataset_for(kind: str = FlowKind.HOME_WORK, year: int | None = None) -> FlowDataset | None:
    """The flows of that kind and year, or the latest year of that kind."""
    found = FlowDataset.objects.filter(kind=kind).order_by("-year")
    if year is not None:
        found = found.filter(year=year)
    return found.first()


def flow_matrix(
    territories: Sequence[Territory], dataset: FlowDataset
) -> dict[tuple[int, int], float]:
    """The flows between each ordered pair of territories (a territory with itself: the flows
    within it), at any level, in one query."""
    if not territories:
        return {}
    ids = [t.pk for t in territories]
    rows = _fetch(_MATRIX.format(roots=_marks(ids), **_below_filter()), [*ids, dataset.pk])
    return {(origin, destination): float(total) for origin, destination, total in rows}


@dataclass(frozen=True)
class Place:
    territory: Territory
    value: float


OUTBOUND, INBOUND = "outbound", "inbound"


def top_places(
    territory: Territory,
    dataset: FlowDataset,
    *,
    direction: str = OUTBOUND,
    level: str = FlowLevel.COMMUNE,
    limit: int = 20,
) -> list[Place]:
    """Where the residents of a territory go (outbound), or where those who come to it live
    (inbound), grouped at a level — the commune, its EPCI or its département; a place abroad
    stays itself —, largest first, the territory's own flows included: one query for the
    figures, one for the names."""
    inside, outside = (
        ("origin", "destination") if direction == OUTBOUND else ("destination", "origin")
    )
    if level == FlowLevel.COMMUNE:
        place, extra = f"f.{outside}_id", []
    else:
        place, extra = _UP.format(outside=outside), [level]
    sql = _TOP.format(roots="%s", place=place, inside=inside, **_below_filter())
    rows = _fetch(sql, [territory.pk, *extra, dataset.pk, limit])
    names = Territory.objects.in_bulk([pk for pk, _total in rows])
    return [Place(names[pk], float(value)) for pk, value in rows if pk in names]


@dataclass(frozen=True)
class FlowBalance:
    internal: float | None  # living and working (studying…) inside
    outbound: float | None  # living inside, going outside
    inbound: float | None  # living outside, coming inside

    @property
    def residents(self) -> float | None:
        """The territory's residents in the flows (those who work, study… somewhere)."""
        if self.internal is None and self.outbound is None:
            return None
        return (self.internal or 0.0) + (self.outbound or 0.0)

    @property
    def workers(self) -> float | None:
        """Those who come to the territory (to work, study…), from inside or outside."""
        if self.internal is None and self.inbound is None:
            return None
        return (self.internal or 0.0) + (self.inbound or 0.0)

    @property
    def self_containment(self) -> float | None:
        """The share of the residents who work (study…) where they live."""
        residents = self.residents
        return (self.internal or 0.0) / residents if residents else None

    @property
    def net(self) -> float | None:
        """Inbound minus outbound: more come than leave when positive."""
        if self.inbound is None and self.outbound is None:
            return None
        return (self.inbound or 0.0) - (self.outbound or 0.0)


def flow_balance(territory: Territory, dataset: FlowDataset) -> FlowBalance:
    """Inbound, outbound and internal flows of a territory, in one query."""
    rows = _fetch(_BALANCE.format(roots="%s", **_below_filter()), [territory.pk, *[dataset.pk] * 3])
    internal, outbound, inbound = rows[0]

    def number(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return FlowBalance(number(internal), number(outbound), number(inbound))


# Statistics --------------------------------------------------------------------------------

FRANCE = None  # the key of the whole country's figures


def variables_by_code(codes: Iterable[str] | None = None) -> dict[str, Variable]:
    found = Variable.objects.all()
    if codes is not None:
        found = found.filter(code__in=list(codes))
    return {v.code: v for v in found}


def statistics_of(
    territories: Sequence[Territory | None], variables: Sequence[Variable]
) -> dict[int | None, dict[str, float | None]]:
    """Each variable's value for each territory (None: France, from the totals the import
    keeps), in one query: a sum over its communes, a ratio of two such sums, or — not
    aggregable — a commune's own value."""
    needed = {code for v in variables for code in v.codes_read}
    stored = {
        v.code: v
        for v in Variable.objects.filter(code__in=needed).exclude(aggregation=Aggregation.RATIO)
    }
    roots = [t for t in territories if t is not None]
    sums: dict[int | None, dict[str, float]] = {t.pk: {} for t in roots}
    # France: the totals the import keeps.
    sums[FRANCE] = {
        code: v.france_total for code, v in stored.items() if v.france_total is not None
    }
    if stored and roots:
        ids = [t.pk for t in roots]
        variable_ids = [v.pk for v in stored.values()]
        by_id = {v.pk: v.code for v in stored.values()}
        sql = _VALUES.format(roots=_marks(ids), variables=_marks(variable_ids), **_below_filter())
        for root, variable_id, total in _fetch(sql, [*ids, *variable_ids]):
            sums[root][by_id[variable_id]] = float(total)
    kinds: dict[int | None, str] = {t.pk: t.kind for t in roots}
    result: dict[int | None, dict[str, float | None]] = {}
    for key in [t.pk if t is not None else FRANCE for t in territories]:
        values = sums.get(key, {})
        result[key] = {
            v.code: _value(v, values, is_commune=kinds.get(key) in COMMUNE_LEVEL_KINDS)
            for v in variables
        }
    return result


def _value(variable: Variable, sums: dict[str, float], *, is_commune: bool) -> float | None:
    if variable.aggregation == Aggregation.NONE:
        return sums.get(variable.code) if is_commune else None
    if variable.aggregation == Aggregation.SUM:
        return sums.get(variable.code)
    numerator = _side(variable.numerator_terms, sums)
    denominator = _side(variable.denominator_terms, sums)
    if numerator is None or not denominator:
        return None
    return numerator / denominator * variable.scale


def _side(terms: list[tuple[int, str]], sums: dict[str, float]) -> float | None:
    if not terms or any(code not in sums for _sign, code in terms):
        return None
    return sum(sign * sums[code] for sign, code in terms)


# At most this many territories side by side (a comparison, a cooperation's parties).
MAX_COMPARED = 6


# Profiles ----------------------------------------------------------------------------------

# What a profile shows, in order: (section title, variable codes). A code the dictionary
# does not have is left out.
PROFILE_SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("population", ("P21_POP", "EVOL_POP_15_21", "DENSITE", "SUPERF", "NAIS1520", "DECE1520")),
    (
        "age",
        (
            "PART_0014",
            "PART_1529",
            "PART_3044",
            "PART_4559",
            "PART_6074",
            "PART_75P",
            "IND_JEUNESSE",
        ),
    ),
    ("activity", ("P21_EMPLT", "TX_ACT_1564", "TX_CHOM_1564", "MED21")),
]


SECTION_TITLES = {
    "population": _("Population"),
    "age": _("Âges"),
    "activity": _("Emploi et activité"),
}


@dataclass
class ProfileRow:
    variable: Variable
    values: list[float | None]


@dataclass
class Profile:
    columns: list[Territory | None]  # the territory, its département, its région, France
    sections: list[tuple[str, list[ProfileRow]]] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return any(row.variable.illustrative for _s, rows in self.sections for row in rows)


def reference_territories(territory: Territory) -> list[Territory]:
    """The département and région a territory is compared with: those of most of its
    communes (an EPCI or a Pays may cross a border), in one query."""
    if territory.kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.REGION, TerritoryKind.COUNTRY):
        above = list(
            Territory.objects.above(territory).filter(kind=TerritoryKind.REGION)
            if territory.kind == TerritoryKind.DEPARTEMENT
            else []
        )
        return above
    rows = _fetch(_MAIN_DEPARTEMENT, [territory.pk, TerritoryKind.DEPARTEMENT])
    if not rows:
        return []
    departement = Territory.objects.get(pk=rows[0][0])
    region = Territory.objects.above(departement).filter(kind=TerritoryKind.REGION).first()
    return [t for t in (departement, region) if t is not None and t.pk != territory.pk]


_MAIN_DEPARTEMENT = (
    _BELOW
    + """
SELECT m.container_id, COUNT(*) AS n
FROM below
JOIN territories_territorymembership m ON m.member_id = below.id
JOIN territories_territory c ON c.id = m.container_id AND c.kind = %s
GROUP BY m.container_id
ORDER BY n DESC, m.container_id
LIMIT 1
"""
).replace("{roots}", "%s")


def profile_sections(variables: dict[str, Variable]) -> list[tuple[str, list[Variable]]]:
    return [
        (title, [variables[code] for code in codes if code in variables])
        for title, codes in PROFILE_SECTIONS
    ]


def comparison(
    territories: Sequence[Territory | None], variables: dict[str, Variable] | None = None
) -> Profile:
    """The profile's figures for several territories side by side (None: France)."""
    variables = variables if variables is not None else variables_by_code()
    sections = profile_sections(variables)
    wanted = [v for _title, found in sections for v in found]
    values = statistics_of(territories, wanted)
    keys = [t.pk if t is not None else FRANCE for t in territories]
    return Profile(
        columns=list(territories),
        sections=[
            (
                str(SECTION_TITLES[title]),
                [ProfileRow(v, [values[k][v.code] for k in keys]) for v in found],
            )
            for title, found in sections
            if found
        ],
    )


def profile(territory: Territory) -> Profile:
    """A territory's figures beside its département's, its région's and France's."""
    return comparison([territory, *reference_territories(territory), FRANCE])


# Maps --------------------------------------------------------------------------------------


# The most communes a map of communes shows: a département has at most about 900; a région's
# thousands would make a map of several megabytes.
MAP_MAX_COMMUNES = 1500


def commune_ids(territory: Territory) -> list[int]:
    """The ids of a territory's current communes (a commune: itself), in one query; the
    queries of a map name them (PostgreSQL plans a recursive subquery poorly)."""
    if territory.kind in COMMUNE_LEVEL_KINDS:
        return [territory.pk]
    return communes_by_root([territory])[territory.pk]


def features(
    rows: Iterable[tuple[int, str, str, str]],
    values: dict[int, float | None],
    *,
    single: bool = False,
) -> str:
    """A GeoJSON FeatureCollection (or, `single`, the one Feature) written from the stored
    display texts without parsing them: each row is (id, code, name, geometry text)."""
    parts = []
    for pk, code, name, display in rows:
        properties = json.dumps(
            {"code": code, "name": name, "value": values.get(pk)}, ensure_ascii=False
        )
        parts.append(
            f'{{"type":"Feature","id":{int(pk)},"properties":{properties},"geometry":{display}}}'
        )
    if single:
        return parts[0]
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def commune_outlines(ids: list[int]) -> list[tuple[int, str, str, str]]:
    """Communes with their display outlines, in one query."""
    return list(
        Boundary.objects.filter(territory__in=ids)
        .order_by("territory__code")
        .values_list("territory_id", "territory__code", "territory__name", "display")
    )


_COMMUNES_BELOW = (
    _BELOW
    + """
SELECT below.root, below.id FROM below
JOIN territories_territory t ON t.id = below.id
WHERE t.kind = %s AND t.valid_until IS NULL
"""
)


def communes_by_root(territories: Sequence[Territory]) -> dict[int, list[int]]:
    """The current communes of each territory (a commune: itself), in one query."""
    if not territories:
        return {}
    ids = [t.pk for t in territories]
    found: dict[int, list[int]] = {pk: [] for pk in ids}
    for root, commune in _fetch(
        _COMMUNES_BELOW.format(roots=_marks(ids)), [*ids, TerritoryKind.COMMUNE]
    ):
        found[root].append(commune)
    return found


def commune_values(ids: list[int], variable: Variable) -> dict[int, float | None]:
    """A variable's value for each of these communes (what a choropleth shows), in one query
    for the stored values it comes from and one for the variables."""
    stored = {
        v.pk: v.code
        for v in Variable.objects.filter(code__in=variable.codes_read).exclude(
            aggregation=Aggregation.RATIO
        )
    }
    per_commune: dict[int, dict[str, float]] = {}
    rows = StatisticValue.objects.filter(
        territory__in=ids, variable_id__in=list(stored)
    ).values_list("territory_id", "variable_id", "value")
    for commune, variable_id, value in rows:
        per_commune.setdefault(commune, {})[stored[variable_id]] = value
    return {
        commune: _value(variable, sums, is_commune=True) for commune, sums in per_commune.items()
    }
