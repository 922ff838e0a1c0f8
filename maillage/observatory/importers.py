"""Importers of the observatory's files: commune boundaries (GeoJSON), INSEE's flow files
(csv or xlsx) and "base communale" statistics. Each writes all of its file or nothing, with
every problem reported by its line (or feature), and replaces what it imports as a whole."""

import json
import math
import re
from collections.abc import Sequence
from typing import BinaryIO, ClassVar

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.errors import ShapelyError

from maillage.core.bulk import analyse, bulk_insert, db_datetime
from maillage.core.history import recorded_change
from maillage.core.imports import Column, Importer, ImportReport, RowInvalid, private_copy
from maillage.core.spreadsheets import SpreadsheetError, read_table
from maillage.observatory import geometry
from maillage.observatory.enums import Aggregation, FlowKind
from maillage.observatory.models import Boundary, Flow, FlowDataset, StatisticValue, Variable
from maillage.territories.enums import Country, TerritoryKind
from maillage.territories.models import Territory

# The INSEE codes a flow's ends are read as: communes and the arrondissements of Paris, Lyon
# and Marseille (the flow files give arrondissements).
FLOW_END_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.MUNICIPAL_ARRONDISSEMENT)
# A place abroad: INSEE's country code (99 then the country: 99140 Suisse).
ABROAD_PREFIX = "99"
ABROAD_COUNTRIES = {"99140": Country.SWITZERLAND}
SHOWN_CODES = 20
BOUNDARY_COLUMNS = (
    "territory",
    "geometry",
    "display",
    "latitude",
    "longitude",
    "derived",
    "communes_key",
    "updated_at",
)


def commune_ids() -> dict[str, int]:
    """Current French communes (and arrondissements) by INSEE code, read once per import."""
    return dict(
        Territory.objects.current()
        .filter(kind__in=FLOW_END_KINDS, country=Country.FRANCE)
        .order_by("kind")  # a commune wins over an arrondissement sharing its code
        .reverse()
        .values_list("code", "pk")
    )


class _DryRun(Exception):
    pass


class BoundariesImporter(Importer[None]):
    """Commune boundaries from a GeoJSON FeatureCollection whose features carry the INSEE
    code (`properties.code`) and name (`properties.nom`). A code of no known commune, and a
    commune without a boundary, are reported, never fatal; a feature that is not a surface
    is an error. The areas' outlines are made again from the new ones when next asked for."""

    def describe(self) -> str:
        return _("Import des contours de %(name)s") % {"name": self.report.filename}

    def run(self, source: bytes | BinaryIO, filename: str) -> ImportReport:
        with private_copy() if self.dry_run else _nothing():
            return self._read_and_write(source, filename)

    def _read_and_write(self, source: bytes | BinaryIO, filename: str) -> ImportReport:
        self.report = ImportReport(filename=filename, dry_run=self.dry_run)
        data = _load_json(source, filename)
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            data = {}
        features = data.get("features")
        if not isinstance(features, list):
            raise SpreadsheetError(
                _("%(file)s n’est pas une FeatureCollection GeoJSON.") % {"file": filename}
            )
        known = commune_ids()
        ids: list[int] = []
        shapes = []
        unknown: list[str] = []
        seen: set[int] = set()
        for number, feature in enumerate(features, start=1):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            code = str((properties or {}).get("code") or "").strip()
            if not code:
                self.error(number, "code", _("l’objet n’a pas de propriété « code »."))
                continue
            try:
                shape = geometry.parse_geometry(feature.get("geometry"))
            except (ValueError, TypeError, ShapelyError):
                self.error(number, "geometry", _("%(code)s : contour illisible.") % {"code": code})
                continue
            pk = known.get(code)
            if pk is None:
                unknown.append(code)
                continue
            if pk in seen:
                self.error(number, "code", _("%(code)s : contour en double.") % {"code": code})
                continue
            seen.add(pk)
            ids.append(pk)
            shapes.append(shape)
        self.report.rows = len(features)
        missing = sorted(
            Territory.objects.current()
            .filter(kind=TerritoryKind.COMMUNE, country=Country.FRANCE)
            .exclude(pk__in=seen)
            .values_list("code", flat=True)
        )
        self.report.counts = {
            _("contours importés"): len(ids),
            _("codes inconnus"): len(unknown),
            _("communes sans contour"): len(missing),
        }
        self.report.notes = _code_notes(unknown, missing)
        if not self.report.ok:
            return self.report
        try:
            with recorded_change(actor=self.actor, comment=self.describe()):
                # The communes' outlines are replaced, the areas' made again when asked for.
                Boundary.objects.filter(Q(pk__in=ids) | Q(derived=True)).delete()
                now = db_datetime(timezone.now())
                made = geometry.outlines(shapes, tolerance=geometry.COMMUNE_TOLERANCE)
                bulk_insert(
                    Boundary,
                    BOUNDARY_COLUMNS,
                    (
                        (pk, o.wkb, o.display, o.latitude, o.longitude, False, "", now)
                        for pk, o in zip(ids, made, strict=True)
                    ),
                )
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return self.report


def _code_notes(unknown: list[str], missing: list[str]) -> list[str]:
    notes = []
    if unknown:
        notes.append(
            _("Contours de codes inconnus (ignorés) : %(codes)s") % {"codes": _shown(unknown)}
        )
    if missing:
        notes.append(_("Communes sans contour : %(codes)s") % {"codes": _shown(missing)})
    return notes


def _shown(codes: list[str]) -> str:
    more = len(codes) - SHOWN_CODES
    text = ", ".join(codes[:SHOWN_CODES])
    return text + (_(" et %(n)s autres") % {"n": more} if more > 0 else "")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _load_json(source: bytes | BinaryIO, filename: str) -> object:
    try:
        return json.loads(source if isinstance(source, bytes) else source.read())
    except (ValueError, UnicodeDecodeError) as error:
        raise SpreadsheetError(
            _("%(file)s n’est pas un fichier GeoJSON lisible.") % {"file": filename}
        ) from error


# The flow files: the destination column and the count's name say the kind; the count's
# name says the year (NBFLUX_C22_ACTOCC15P: 2022).
FLOW_LAYOUTS = {
    FlowKind.HOME_WORK: ("DCLT", "ACTOCC15P"),
    FlowKind.HOME_STUDY: ("DCETU", "SCOL02P"),
    FlowKind.MIGRATION: ("DCRAN", "POP01P"),
}
COUNT_COLUMN = re.compile(r"^NBFLUX_C(\d\d)_(ACTOCC15P|SCOL02P|POP01P)$", re.IGNORECASE)
FLOW_SHEET = "Flux_sup_100"


def flow_layout(source: BinaryIO, filename: str) -> tuple[str, int, str]:
    """The kind, year and count column of a flow file, from its header (below a title block
    in the xlsx edition; the kind says the destination column), read from a stream of its
    own. SpreadsheetError when it is no flow file."""
    sheet = FLOW_SHEET if filename.lower().endswith(".xlsx") else None
    rows = read_table(source, filename, sheet=sheet)
    for _line, row in zip(range(Importer.header_search_rows), rows, strict=False):
        for cell in row:
            match = COUNT_COLUMN.match(cell.strip())
            if match:
                suffix = match.group(2).upper()
                kind = next(k for k, (_d, s) in FLOW_LAYOUTS.items() if s == suffix)
                return kind, 2000 + int(match.group(1)), cell.strip()
    raise SpreadsheetError(
        _(
            "%(file)s n’est pas un fichier de flux de l’INSEE : aucune colonne "
            "NBFLUX_Cxx_ACTOCC15P, NBFLUX_Cxx_SCOL02P ou NBFLUX_Cxx_POP01P dans son en-tête."
        )
        % {"file": filename}
    )


class FlowsImporter(Importer[tuple[int, int, float]]):
    """One of INSEE's flow files (home → work, home → study, residential migrations): the
    year and kind of data it holds are replaced as a whole. A place abroad (99140 Suisse)
    becomes a destination of its own, a territory of kind country."""

    batch_size: ClassVar[int] = 20_000
    header_search_rows: ClassVar[int] = 10
    sheet: ClassVar[str | None] = FLOW_SHEET  # read for the xlsx edition only

    def __init__(
        self,
        *,
        actor,
        kind: str,
        year: int,
        count_column: str,
        layout: str | None = None,
        demonstration: bool = False,
        dry_run: bool = False,
    ):
        """`layout`: the kind whose columns the file has (its header's), when `kind` is
        given otherwise."""
        super().__init__(actor=actor, dry_run=dry_run)
        self.kind, self.year, self.demonstration = kind, year, demonstration
        destination = FLOW_LAYOUTS[FlowKind(layout or kind)][0]
        self.columns = (
            Column("CODGEO", required=True),
            Column(destination, required=True),
            Column(count_column, required=True),
        )
        self.destination_column, self.count_column = destination, count_column
        self.columns = (*self.columns, Column(f"L_{destination}"))

    def describe(self) -> str:
        return _("Import des flux %(kind)s %(year)s (%(name)s)") % {
            "kind": FlowKind(self.kind).label,
            "year": self.year,
            "name": self.report.filename,
        }

    def start(self) -> None:
        self.codes = commune_ids()
        self.abroad = dict(
            Territory.objects.filter(kind=TerritoryKind.COUNTRY).values_list("code", "pk")
        )
        self.abroad_names: dict[str, str] = {}
        FlowDataset.objects.filter(kind=self.kind, year=self.year).delete()
        self.dataset = FlowDataset.objects.create(
            kind=self.kind,
            year=self.year,
            filename=self.report.filename[:255],
            demonstration=self.demonstration,
        )

    def parse_row(self, values: dict[str, str]) -> tuple[int, int, float]:
        problems: list[tuple[str, str]] = []
        origin = self.codes.get(values["CODGEO"])
        if origin is None:
            problems.append(("CODGEO", _code_problem(values["CODGEO"])))
        code = values[self.destination_column]
        destination = self.codes.get(code)
        if destination is None:
            if code.startswith(ABROAD_PREFIX) and len(code) == 5 and code.isdigit():
                destination = self._abroad(code, values.get(f"L_{self.destination_column}", ""))
            else:
                problems.append((self.destination_column, _code_problem(code)))
        text = values[self.count_column]
        try:
            value = float(text.replace(",", "."))
            if not math.isfinite(value) or value < 0:
                raise ValueError
        except ValueError:
            problems.append(
                (self.count_column, _("« %(value)s » n’est pas un flux positif.") % {"value": text})
            )
            value = 0.0
        if problems:
            (column, message), *more = problems
            raise RowInvalid(column, message, more=more)
        return origin, destination, value  # type: ignore[return-value]

    def _abroad(self, code: str, name: str) -> int:
        pk = self.abroad.get(code)
        if pk is None:
            country = Territory.objects.create(
                kind=TerritoryKind.COUNTRY,
                code=code,
                name=name.strip() or code,
                country=ABROAD_COUNTRIES.get(code, ""),
            )
            pk = self.abroad[code] = country.pk
        return pk

    def write_batch(self, batch: list[tuple[int, tuple[int, int, float]]]) -> None:
        if not self.report.ok:
            return  # nothing will be kept: stop writing, go on checking
        dataset = self.dataset.pk
        bulk_insert(
            Flow,
            ("dataset", "origin", "destination", "value"),
            [(dataset, o, d, v) for _line, (o, d, v) in batch],
        )

    def finish(self) -> None:
        FlowDataset.objects.filter(pk=self.dataset.pk).update(rows=self.report.rows)
        analyse(Flow)
        self.count(_("flux"), self.report.rows)


def _code_problem(code: str) -> str:
    if not code:
        return _("code de commune manquant.")
    return _("« %(code)s » n’est pas le code d’une commune connue.") % {"code": code}


class VariablesImporter(Importer[dict[str, object]]):
    """The dictionary of a statistics file: each variable's label, unit, year, how it
    aggregates (sum, ratio of two sums — `numerator`/`denominator`, `+`-joined codes — or
    none), multiplier and source. Variables are updated in place, by code."""

    columns = (
        Column("code", required=True),
        Column("libelle", required=True, aliases=("label",)),
        Column("unite", aliases=("unit",)),
        Column("annee", aliases=("year",)),
        Column("agregation", required=True, aliases=("aggregation",)),
        Column("numerateur", aliases=("numerator",)),
        Column("denominateur", aliases=("denominator",)),
        Column("multiplicateur", aliases=("scale",)),
        Column("source"),
    )

    def __init__(self, *, actor, illustrative: bool = False, dry_run: bool = False):
        super().__init__(actor=actor, dry_run=dry_run)
        self.illustrative = illustrative

    def parse_row(self, values: dict[str, str]) -> dict[str, object]:
        problems: list[tuple[str, str]] = []
        aggregation = values["agregation"].lower()
        if aggregation not in Aggregation.values:
            problems.append(
                (
                    "agregation",
                    _("« %(value)s » : attendu %(choices)s.")
                    % {"value": aggregation, "choices": ", ".join(Aggregation.values)},
                )
            )
        if aggregation == Aggregation.RATIO and not (
            values.get("numerateur") and values.get("denominateur")
        ):
            problems.append(
                ("numerateur", _("un rapport demande un numérateur et un dénominateur."))
            )
        year = values.get("annee") or ""
        if year and not year.isdigit():
            problems.append(("annee", _("« %(value)s » n’est pas une année.") % {"value": year}))
        scale_text = (values.get("multiplicateur") or "1").replace(",", ".")
        try:
            scale = float(scale_text)
        except ValueError:
            problems.append(
                ("multiplicateur", _("« %(value)s » n’est pas un nombre.") % {"value": scale_text})
            )
            scale = 1.0
        if problems:
            (column, message), *more = problems
            raise RowInvalid(column, message, more=more)
        return {
            "code": values["code"].upper(),
            "label": values["libelle"][:200],
            "unit": (values.get("unite") or "")[:40],
            "year": int(year) if year else None,
            "aggregation": aggregation,
            "numerator": (values.get("numerateur") or "").upper(),
            "denominator": (values.get("denominateur") or "").upper(),
            "scale": scale,
            "source": (values.get("source") or "")[:200],
            "illustrative": self.illustrative,
        }

    def write_batch(self, batch: list[tuple[int, dict[str, object]]]) -> None:
        for _line, fields in batch:
            code = fields.pop("code")
            _variable, created = Variable.objects.update_or_create(code=code, defaults=fields)
            self.count(_("créées") if created else _("mises à jour"))

    def finish(self) -> None:
        codes = set(Variable.objects.values_list("code", flat=True))
        for variable in Variable.objects.filter(aggregation=Aggregation.RATIO):
            unknown = sorted(variable.codes_read - codes)
            if unknown:
                self.error(
                    0,
                    variable.code,
                    _("le rapport nomme des variables inconnues : %(codes)s.")
                    % {"codes": ", ".join(unknown)},
                )


class StatisticsImporter(Importer[tuple[int, list[float | None]]]):
    """A "base communale" file: a CODGEO column and numeric variables, one commune per row.
    Its columns that the dictionary declares (aggregated as a sum or not at all) are read; the
    values of those variables are replaced as a whole. An empty cell (or INSEE's "s", "nd")
    is no value."""

    batch_size: ClassVar[int] = 5000
    MISSING = frozenset({"", "s", "nd", "nc", "na", "-"})

    def __init__(self, *, actor, variables: Sequence[Variable], dry_run: bool = False):
        super().__init__(actor=actor, dry_run=dry_run)
        self.variables = list(variables)
        self.columns = (
            Column("CODGEO", required=True, aliases=("COM", "CODE")),
            *(Column(v.code, required=True) for v in self.variables),
        )

    def describe(self) -> str:
        return _("Import des statistiques de %(name)s") % {"name": self.report.filename}

    def start(self) -> None:
        self.codes = commune_ids()
        StatisticValue.objects.filter(variable__in=self.variables).delete()

    def parse_row(self, values: dict[str, str]) -> tuple[int, list[float | None]]:
        problems: list[tuple[str, str]] = []
        pk = self.codes.get(values["CODGEO"])
        if pk is None:
            problems.append(("CODGEO", _code_problem(values["CODGEO"])))
        numbers: list[float | None] = []
        for variable in self.variables:
            text = values[variable.code]
            if text.lower() in self.MISSING:
                numbers.append(None)
                continue
            try:
                number = float(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
                if not math.isfinite(number):
                    raise ValueError
            except ValueError:
                problems.append(
                    (variable.code, _("« %(value)s » n’est pas un nombre.") % {"value": text})
                )
                number = None
            numbers.append(number)
        if problems:
            (column, message), *more = problems
            raise RowInvalid(column, message, more=more)
        return pk, numbers  # type: ignore[return-value]

    def write_batch(self, batch: list[tuple[int, tuple[int, list[float | None]]]]) -> None:
        if not self.report.ok:
            return
        bulk_insert(
            StatisticValue,
            ("variable", "territory", "value"),
            [
                (variable.pk, pk, number)
                for _line, (pk, numbers) in batch
                for variable, number in zip(self.variables, numbers, strict=True)
                if number is not None
            ],
        )
        self.count(_("communes"), len(batch))

    def finish(self) -> None:
        analyse(StatisticValue)
        totals = (
            StatisticValue.objects.filter(variable=OuterRef("pk"))
            .values("variable")
            .annotate(total=Sum("value"))
            .values("total")
        )
        Variable.objects.filter(pk__in=[v.pk for v in self.variables]).update(
            france_total=Subquery(totals)
        )


def statistics_variables(source: BinaryIO, filename: str) -> tuple[list[Variable], list[str]]:
    """The dictionary's variables a statistics file has columns for (those stored: sums and
    non-aggregable ones), and its other columns, which are ignored; read from a stream of
    its own."""
    header = next(iter(read_table(source, filename)), [])
    names = [cell.strip().upper() for cell in header]
    stored = {
        v.code: v
        for v in Variable.objects.filter(code__in=names).exclude(aggregation=Aggregation.RATIO)
    }
    ignored = [n for n in names if n and n not in stored and n not in {"CODGEO", "COM", "CODE"}]
    return [stored[n] for n in names if n in stored], ignored
