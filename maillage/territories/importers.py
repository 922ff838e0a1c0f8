"""Importers of the official territory files (INSEE COG), built on core.imports.

Each one streams its file in batches. A territory the file confirms gets `synced_at` set to
the import's stamp: a second row with the same code in the same run is a duplicate, and a
current territory of the imported kinds left unconfirmed at the end is gone (it gets a
`valid_until`, so what points at it stays readable). Official memberships of the file's
source are replaced as a whole. Memory holds one batch.
"""

from typing import Any, ClassVar, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import search
from maillage.core.bulk import analyse, bulk_insert, db_datetime
from maillage.core.imports import Column, Importer, RowInvalid
from maillage.core.text import fold
from maillage.core.validators import luhn_ok
from maillage.territories.enums import (
    TYPECOM_KINDS,
    Country,
    EpciNature,
    MembershipSource,
    TerritoryKind,
)
from maillage.territories.models import ARTICLES, Territory, TerritoryMembership

INSERT_FIELDS = (
    "kind",
    "code",
    "country",
    "name",
    "article_type",
    "search_name",
    "epci_nature",
    "description",
    "synced_at",
    "created_at",
    "updated_at",
)


class OfficialRow(NamedTuple):
    # A tuple, not a dataclass: tens of thousands are made per import.
    kind: str
    code: str
    name: str
    article_type: int = 0
    epci_nature: str = ""
    container_code: str = ""  # the département or région it lies in
    parent_commune: str = ""  # for a commune déléguée, associée or arrondissement (COMPARENT)


class OfficialTerritoryImporter(Importer[OfficialRow]):
    kinds: ClassVar[frozenset[str]]
    membership_source: ClassVar[str | None] = None
    container_kind: ClassVar[str | None] = None

    def start(self) -> None:
        self.stamp = timezone.now()
        self.today = timezone.localdate()
        # On a first import nothing is there to compare with: rows go straight in, and the
        # unique constraint catches a duplicate (that batch is then redone the careful way).
        self.fresh = (
            not Territory.objects.order_by()
            .filter(kind__in=self.kinds, country=Country.FRANCE)
            .exists()
        )
        if self.membership_source is not None:
            TerritoryMembership.objects.filter(source=self.membership_source).delete()
        self.containers: dict[str, int] = {}
        if self.container_kind is not None:
            self.containers = dict(
                Territory.objects.order_by()
                .filter(kind=self.container_kind, country=Country.FRANCE)
                .current()
                .values_list("code", "pk")
            )

    def check_code(self, column: str, code: str, digits: int) -> str:
        if not code:
            raise RowInvalid(column, _("code absent"))
        if len(code) != digits or not code.isalnum():
            raise RowInvalid(column, _("code « %(code)s » invalide") % {"code": code})
        return code

    def container_id(self, line: int, row: OfficialRow) -> int | None:
        if not row.container_code:
            return None
        container = self.containers.get(row.container_code)
        if container is None:
            self.error(
                line,
                self.container_column,
                _("« %(code)s » inconnu") % {"code": row.container_code},
            )
        return container

    container_column: ClassVar[str] = ""

    def write_batch(self, batch: list[tuple[int, OfficialRow]]) -> None:
        if self.fresh:
            try:
                with transaction.atomic():
                    self.insert([row for _line, row in batch])
            except IntegrityError:
                pass
            else:
                self.count("added", len(batch))
                self.link(batch)
                return
        self.write_batch_with_diff(batch)

    def insert(self, rows: list[OfficialRow]) -> None:
        now = db_datetime(self.stamp)
        bulk_insert(
            Territory,
            INSERT_FIELDS,
            [
                (
                    r.kind,
                    r.code,
                    Country.FRANCE,
                    r.name,
                    r.article_type,
                    fold(r.name),
                    r.epci_nature,
                    "",
                    now,
                    now,
                    now,
                )
                for r in rows
            ],
        )

    def write_batch_with_diff(self, batch: list[tuple[int, OfficialRow]]) -> None:
        keys = {(row.kind, row.code) for _line, row in batch}
        candidates = (
            Territory.objects.order_by()
            .filter(
                country=Country.FRANCE,
                kind__in={k for k, _c in keys},
                code__in={c for _k, c in keys},
            )
            .values_list(
                "kind",
                "code",
                "pk",
                "name",
                "article_type",
                "epci_nature",
                "valid_until",
                "synced_at",
            )
        )
        # (kind, code) → (pk, name, article_type, epci_nature, valid_until, synced_at)
        existing: dict[tuple[str, str], tuple[Any, ...]] = {
            (kind, code): tuple(rest) for kind, code, *rest in candidates
        }
        seen: set[tuple[str, str]] = set()
        accepted: list[tuple[int, OfficialRow]] = []
        new_rows: list[OfficialRow] = []
        changed: list[Territory] = []
        unchanged: list[int] = []
        for line, row in batch:
            key = (row.kind, row.code)
            current = existing.get(key)
            if key in seen or (current is not None and current[5] == self.stamp):
                self.error(
                    line, "", _("code « %(code)s » en double dans le fichier") % {"code": row.code}
                )
                continue
            seen.add(key)
            accepted.append((line, row))
            if current is None:
                new_rows.append(row)
            elif current[1:5] != (row.name, row.article_type, row.epci_nature, None):
                changed.append(
                    Territory(
                        pk=current[0],
                        name=row.name,
                        search_name=fold(row.name),
                        article_type=row.article_type,
                        epci_nature=row.epci_nature,
                        valid_until=None,
                        synced_at=self.stamp,
                        updated_at=self.stamp,
                    )
                )
            else:
                unchanged.append(current[0])
        self.insert(new_rows)
        Territory.objects.bulk_update(
            changed,
            [
                "name",
                "search_name",
                "article_type",
                "epci_nature",
                "valid_until",
                "synced_at",
                "updated_at",
            ],
        )
        Territory.objects.order_by().filter(pk__in=unchanged).update(synced_at=self.stamp)
        self.count("added", len(new_rows))
        self.count("changed", len(changed))
        self.count("unchanged", len(unchanged))
        self.link(accepted)

    def ids_of(self, rows: list[OfficialRow]) -> dict[tuple[str, str], int]:
        # One indexed lookup per kind: an OR of IN lists makes SQLite scan the table.
        ids: dict[tuple[str, str], int] = {}
        for kind in {row.kind for row in rows}:
            codes = {row.code for row in rows if row.kind == kind}
            for pk, code in (
                Territory.objects.order_by()
                .filter(kind=kind, country=Country.FRANCE, code__in=codes)
                .values_list("pk", "code")
            ):
                ids[(kind, code)] = pk
        return ids

    def link(self, batch: list[tuple[int, OfficialRow]]) -> None:
        """Insert the batch's official memberships (to a container known beforehand)."""
        pairs = [(line, row) for line, row in batch if row.container_code]
        if not pairs or self.container_kind is None:
            return
        ids = self.ids_of([row for _line, row in pairs])
        links = []
        for line, row in pairs:
            container = self.container_id(line, row)
            member = ids.get((row.kind, row.code))
            if container is not None and member is not None:
                links.append((container, member, self.membership_source))
        bulk_insert(TerritoryMembership, ("container_id", "member_id", "source"), links)
        self.count("memberships", len(links))

    def reindex_for_search(self) -> None:
        search.reindex(Territory)

    def finish(self) -> None:
        if self.fresh:  # nothing was there before: nothing can be gone
            self.count("gone", 0)
            return
        gone = (
            Territory.objects.order_by()
            .filter(kind__in=self.kinds, country=Country.FRANCE)
            .current()
            .filter(Q(synced_at__isnull=True) | ~Q(synced_at=self.stamp))
        )
        self.count("gone", gone.update(valid_until=self.today))


_ARTICLE_TYPES = {str(number): number for number in ARTICLES}


def article_type(text: str) -> int:
    number = _ARTICLE_TYPES.get(text)
    if number is None:
        raise RowInvalid("TNCC", _("type d’article « %(value)s » inconnu") % {"value": text})
    return number


class RegionsImporter(OfficialTerritoryImporter):
    """INSEE `v_region_YYYY.csv`: REG, CHEFLIEU, TNCC, NCC, NCCENR, LIBELLE."""

    columns = (
        Column("REG", required=True),
        Column("TNCC", required=True),
        Column("LIBELLE", required=True),
    )
    kinds = frozenset({TerritoryKind.REGION})

    def parse_row(self, values: dict[str, str]) -> OfficialRow:
        return OfficialRow(
            TerritoryKind.REGION,
            self.check_code("REG", values["REG"], 2),
            values["LIBELLE"],
            article_type(values["TNCC"]),
        )


class DepartementsImporter(OfficialTerritoryImporter):
    """INSEE `v_departement_YYYY.csv`: DEP, REG, CHEFLIEU, TNCC, NCC, NCCENR, LIBELLE."""

    columns = (
        Column("DEP", required=True),
        Column("REG", required=True),
        Column("TNCC", required=True),
        Column("LIBELLE", required=True),
    )
    kinds = frozenset({TerritoryKind.DEPARTEMENT})
    membership_source = MembershipSource.COG_DEPARTEMENTS
    container_kind = TerritoryKind.REGION
    container_column = "REG"

    def parse_row(self, values: dict[str, str]) -> OfficialRow:
        code = values["DEP"]
        if not (2 <= len(code) <= 3 and code.isalnum()):
            raise RowInvalid("DEP", _("code « %(code)s » invalide") % {"code": code})
        return OfficialRow(
            TerritoryKind.DEPARTEMENT,
            code,
            values["LIBELLE"],
            article_type(values["TNCC"]),
            container_code=self.check_code("REG", values["REG"], 2),
        )


class CommunesImporter(OfficialTerritoryImporter):
    """INSEE `v_commune_YYYY.csv`: TYPECOM, COM, REG, DEP, CTCD, ARR, TNCC, NCC, NCCENR,
    LIBELLE, CAN, COMPARENT. A COM lies in its département; a COMD, COMA or ARM in the commune
    named by COMPARENT (which may come later in the file)."""

    columns = (
        Column("TYPECOM", required=True),
        Column("COM", required=True),
        Column("DEP", required=True),
        Column("TNCC", required=True),
        Column("LIBELLE", required=True),
        Column("COMPARENT", required=True),
    )
    kinds = frozenset(TYPECOM_KINDS.values())
    membership_source = MembershipSource.COG_COMMUNES
    container_kind = TerritoryKind.DEPARTEMENT

    def start(self) -> None:
        super().start()
        # (line, member kind, member code, parent commune code): only the few thousand communes
        # déléguées/associées, resolved at the end when every commune is in.
        self.pending: list[tuple[int, str, str, str]] = []

    def parse_row(self, values: dict[str, str]) -> OfficialRow:
        kind = TYPECOM_KINDS.get(values["TYPECOM"])
        if kind is None:
            raise RowInvalid(
                "TYPECOM",
                _("TYPECOM « %(value)s » inconnu (attendu : COM, COMD, COMA ou ARM)")
                % {"value": values["TYPECOM"]},
            )
        code = self.check_code("COM", values["COM"], 5)
        if kind != TerritoryKind.COMMUNE:
            if not values["COMPARENT"]:
                raise RowInvalid("COMPARENT", _("commune de rattachement absente"))
            return OfficialRow(
                kind,
                code,
                values["LIBELLE"],
                article_type(values["TNCC"]),
                parent_commune=values["COMPARENT"],
            )
        department = values["DEP"]
        if department not in self.containers:
            raise RowInvalid("DEP", _("département « %(code)s » inconnu") % {"code": department})
        # INSEE builds a commune's code from its département's (29019 in 29, 2A004 in 2A,
        # 97101 in 971): the link to the département is then made in one statement at the end.
        if not code.startswith(department):
            raise RowInvalid(
                "COM",
                _("le code « %(code)s » n’est pas dans le département %(dep)s")
                % {"code": code, "dep": department},
            )
        return OfficialRow(kind, code, values["LIBELLE"], article_type(values["TNCC"]))

    def link(self, batch: list[tuple[int, OfficialRow]]) -> None:
        self.pending.extend(
            (line, row.kind, row.code, row.parent_commune)
            for line, row in batch
            if row.parent_commune
        )
        # Most parents are already in (the file is sorted by code): link those now, so that only
        # the few whose commune comes later wait, and memory stays flat in the file's size.
        self.pending = self.link_pending(report_unknown=False)

    def finish(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # After a bulk load the planner's statistics still describe an empty table and
                # it would join 37 000 rows by scanning: refresh them first.
                cursor.execute("ANALYZE territories_territory")
            cursor.execute(
                """
                INSERT INTO territories_territorymembership (container_id, member_id, source)
                SELECT d.id, c.id, %s
                FROM territories_territory c
                JOIN territories_territory d
                    ON d.kind = %s AND d.country = %s AND d.valid_until IS NULL
                    AND d.code = CASE WHEN c.code LIKE '97%%'
                        THEN substr(c.code, 1, 3) ELSE substr(c.code, 1, 2) END
                WHERE c.kind = %s AND c.country = %s AND c.synced_at = %s
                """,
                [
                    self.membership_source,
                    TerritoryKind.DEPARTEMENT,
                    Country.FRANCE,
                    TerritoryKind.COMMUNE,
                    Country.FRANCE,
                    db_datetime(self.stamp),
                ],
            )
        self.link_pending(report_unknown=True)
        # rowcount is not reliable for INSERT … SELECT on every database: count what is there.
        self.count(
            "memberships", TerritoryMembership.objects.filter(source=self.membership_source).count()
        )
        if self.report.ok:
            super().finish()

    def link_pending(self, *, report_unknown: bool) -> list[tuple[int, str, str, str]]:
        """Link waiting communes déléguées/associées to their commune, a few thousand at a time:
        two indexed lookups by code, one bulk insert. Returns those whose commune is not in yet,
        or reports them as errors at the end."""
        waiting: list[tuple[int, str, str, str]] = []
        chunk = 2000
        for start in range(0, len(self.pending), chunk):
            part = self.pending[start : start + chunk]
            parents = dict(
                Territory.objects.order_by()
                .filter(
                    kind=TerritoryKind.COMMUNE,
                    country=Country.FRANCE,
                    code__in={p for *_r, p in part},
                )
                .values_list("code", "pk")
            )
            members = self.ids_of([OfficialRow(kind, code, "") for _line, kind, code, _p in part])
            links = []
            for line, kind, code, parent_code in part:
                parent = parents.get(parent_code)
                if parent is not None and (kind, code) in members:
                    links.append((parent, members[(kind, code)], self.membership_source))
                elif parent is None and report_unknown:
                    self.error(
                        line,
                        "COMPARENT",
                        _("commune « %(code)s » inconnue") % {"code": parent_code},
                    )
                elif parent is None:
                    waiting.append((line, kind, code, parent_code))
            bulk_insert(TerritoryMembership, ("container_id", "member_id", "source"), links)
        return waiting


class EpciImporter(OfficialTerritoryImporter):
    """Sheet `EPCI` of `Intercommunalite_Metropole_au_01-01-YYYY.xlsx`: EPCI (SIREN), LIBEPCI,
    NATURE_EPCI, NB_COM — below a title block."""

    sheet = "EPCI"
    columns = (
        Column("EPCI", required=True),
        Column("LIBEPCI", required=True),
        Column("NATURE_EPCI", required=True),
    )
    kinds = frozenset({TerritoryKind.EPCI})

    def parse_row(self, values: dict[str, str]) -> OfficialRow:
        code = values["EPCI"]
        if not (len(code) == 9 and code.isdigit() and luhn_ok(code)):
            raise RowInvalid("EPCI", _("SIREN « %(code)s » invalide") % {"code": code})
        if values["NATURE_EPCI"] not in EpciNature.values:
            raise RowInvalid(
                "NATURE_EPCI", _("nature « %(value)s » inconnue") % {"value": values["NATURE_EPCI"]}
            )
        return OfficialRow(
            TerritoryKind.EPCI, code, values["LIBEPCI"], epci_nature=values["NATURE_EPCI"]
        )


class EpciCompositionImporter(Importer[tuple[str, str]]):
    """Sheet `Composition_communale`: CODGEO (commune), EPCI (SIREN). A commune belongs to one
    EPCI; both must be known (import the communes first)."""

    sheet = "Composition_communale"
    columns = (Column("CODGEO", required=True), Column("EPCI", required=True))

    def start(self) -> None:
        self.before = TerritoryMembership.objects.filter(source=MembershipSource.COG_EPCI).count()
        TerritoryMembership.objects.filter(source=MembershipSource.COG_EPCI).delete()
        self.epcis = dict(
            Territory.objects.order_by()
            .filter(kind=TerritoryKind.EPCI, country=Country.FRANCE)
            .current()
            .values_list("code", "pk")
        )

    def parse_row(self, values: dict[str, str]) -> tuple[str, str]:
        if values["EPCI"] not in self.epcis:
            raise RowInvalid(
                "EPCI", _("EPCI « %(code)s » absent de la feuille EPCI") % {"code": values["EPCI"]}
            )
        return values["CODGEO"], values["EPCI"]

    def write_batch(self, batch: list[tuple[int, tuple[str, str]]]) -> None:
        communes = dict(
            Territory.objects.order_by()
            .filter(
                kind=TerritoryKind.COMMUNE,
                country=Country.FRANCE,
                code__in={c for _l, (c, _e) in batch},
            )
            .values_list("code", "pk")
        )
        already = set(
            TerritoryMembership.objects.filter(
                source=MembershipSource.COG_EPCI, member_id__in=communes.values()
            ).values_list("member_id", flat=True)
        )
        links = []
        for line, (commune_code, epci_code) in batch:
            commune = communes.get(commune_code)
            if commune is None:
                self.error(
                    line, "CODGEO", _("commune « %(code)s » inconnue") % {"code": commune_code}
                )
            elif commune in already:
                self.error(
                    line,
                    "CODGEO",
                    _("commune « %(code)s » déjà rattachée à un EPCI") % {"code": commune_code},
                )
            else:
                already.add(commune)
                links.append((self.epcis[epci_code], commune, MembershipSource.COG_EPCI))
        bulk_insert(TerritoryMembership, ("container_id", "member_id", "source"), links)
        self.count("memberships", len(links))

    def finish(self) -> None:
        self.count("memberships_before", self.before)
        analyse(Territory, TerritoryMembership)  # what the recursive walks join on


class PopulationsImporter(Importer[tuple[str, int]]):
    """A delimited file with a commune code column and a population column, named by options."""

    batch_size = 5000

    def __init__(
        self, *, actor, code_column: str, population_column: str, year: int, dry_run: bool = False
    ):
        super().__init__(actor=actor, dry_run=dry_run)
        self.code_column, self.population_column, self.year = code_column, population_column, year
        self.columns = (
            Column(code_column, required=True),
            Column(population_column, required=True),
        )

    def start(self) -> None:
        self.seen: set[str] = set()

    def parse_row(self, values: dict[str, str]) -> tuple[str, int]:
        text = values[self.population_column].replace(" ", "").replace("\u202f", "")
        if not text.isdigit():
            raise RowInvalid(
                self.population_column, _("population « %(value)s » invalide") % {"value": text}
            )
        return values[self.code_column], int(text)

    def write_batch(self, batch: list[tuple[int, tuple[str, int]]]) -> None:
        communes = {
            t.code: t
            for t in Territory.objects.order_by()
            .filter(
                kind=TerritoryKind.COMMUNE,
                country=Country.FRANCE,
                code__in={c for _l, (c, _p) in batch},
            )
            .only("pk", "code", "population", "population_year")
        }
        changed = []
        for line, (code, population) in batch:
            commune = communes.get(code)
            if code in self.seen:
                self.error(
                    line,
                    self.code_column,
                    _("code « %(code)s » en double dans le fichier") % {"code": code},
                )
            elif commune is None:
                self.error(
                    line, self.code_column, _("commune « %(code)s » inconnue") % {"code": code}
                )
            elif (commune.population, commune.population_year) == (population, self.year):
                self.count("unchanged")
            else:
                commune.population, commune.population_year = population, self.year
                changed.append(commune)
            self.seen.add(code)
        Territory.objects.bulk_update(changed, ["population", "population_year"])
        self.count("changed", len(changed))
