"""Importers of the official territory files (INSEE COG), built on core.imports.

Each one streams its file in batches. A territory the file confirms gets `synced_at` set to
the import's stamp: a second row with the same code in the same run is a duplicate, and a
current territory of the imported kinds left unconfirmed at the end is gone (it gets a
`valid_until`, so what points at it stays readable). Official memberships of the file's
source are replaced as a whole. Memory holds one batch.
"""

from dataclasses import dataclass
from typing import ClassVar

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.bulk import bulk_insert, db_datetime
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


@dataclass(frozen=True)
class OfficialRow:
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
        if self.membership_source is not None:
            TerritoryMembership.objects.filter(source=self.membership_source).delete()
        self.containers: dict[str, int] = {}
        if self.container_kind is not None:
            self.containers = dict(
                Territory.objects.filter(kind=self.container_kind, country=Country.FRANCE)
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
        keys = {(row.kind, row.code) for _line, row in batch}
        existing = {
            (t.kind, t.code): t
            for t in Territory.objects.filter(
                country=Country.FRANCE,
                kind__in={k for k, _c in keys},
                code__in={c for _k, c in keys},
            ).only(
                "pk",
                "kind",
                "code",
                "name",
                "article_type",
                "epci_nature",
                "valid_until",
                "synced_at",
            )
        }
        seen: set[tuple[str, str]] = set()
        accepted: list[tuple[int, OfficialRow]] = []
        new_rows, changed, unchanged = [], [], []
        for line, row in batch:
            key = (row.kind, row.code)
            current = existing.get(key)
            if key in seen or (current is not None and current.synced_at == self.stamp):
                self.error(
                    line, "", _("code « %(code)s » en double dans le fichier") % {"code": row.code}
                )
                continue
            seen.add(key)
            accepted.append((line, row))
            if current is None:
                new_rows.append(row)
            elif (current.name, current.article_type, current.epci_nature, current.valid_until) != (
                row.name,
                row.article_type,
                row.epci_nature,
                None,
            ):
                current.name, current.article_type, current.epci_nature = (
                    row.name,
                    row.article_type,
                    row.epci_nature,
                )
                current.search_name, current.valid_until, current.synced_at = (
                    fold(row.name),
                    None,
                    self.stamp,
                )
                changed.append(current)
            else:
                unchanged.append(current.pk)
        now = db_datetime(self.stamp)
        bulk_insert(
            Territory,
            INSERT_FIELDS,
            (
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
                for r in new_rows
            ),
        )
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
        Territory.objects.filter(pk__in=unchanged).update(synced_at=self.stamp)
        self.count("added", len(new_rows))
        self.count("changed", len(changed))
        self.count("unchanged", len(unchanged))
        self.link(accepted)

    def ids_of(self, rows: list[OfficialRow]) -> dict[tuple[str, str], int]:
        condition = Q()
        for kind in {row.kind for row in rows}:
            condition |= Q(kind=kind, code__in=[row.code for row in rows if row.kind == kind])
        return {
            (kind, code): pk
            for pk, kind, code in Territory.objects.filter(
                condition, country=Country.FRANCE
            ).values_list("pk", "kind", "code")
        }

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

    def finish(self) -> None:
        gone = (
            Territory.objects.filter(kind__in=self.kinds, country=Country.FRANCE)
            .current()
            .filter(Q(synced_at__isnull=True) | ~Q(synced_at=self.stamp))
        )
        self.count("gone", gone.update(valid_until=self.today))


def article_type(line_value: str) -> int:
    if not line_value.isdigit() or int(line_value) not in ARTICLES:
        raise RowInvalid("TNCC", _("type d’article « %(value)s » inconnu") % {"value": line_value})
    return int(line_value)


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
    container_column = "DEP"

    def start(self) -> None:
        super().start()
        # (line, member kind, member code, parent commune code): only the few hundred communes
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
        if kind == TerritoryKind.COMMUNE:
            if not values["DEP"]:
                raise RowInvalid("DEP", _("département absent"))
            container = values["DEP"]
        else:
            if not values["COMPARENT"]:
                raise RowInvalid("COMPARENT", _("commune de rattachement absente"))
            return OfficialRow(
                kind,
                code,
                values["LIBELLE"],
                article_type(values["TNCC"]),
                parent_commune=values["COMPARENT"],
            )
        return OfficialRow(
            kind, code, values["LIBELLE"], article_type(values["TNCC"]), container_code=container
        )

    def link(self, batch: list[tuple[int, OfficialRow]]) -> None:
        super().link(batch)
        self.pending.extend(
            (line, row.kind, row.code, row.parent_commune)
            for line, row in batch
            if row.parent_commune
        )

    def finish(self) -> None:
        parents = dict(
            Territory.objects.filter(
                kind=TerritoryKind.COMMUNE,
                country=Country.FRANCE,
                code__in={p for *_r, p in self.pending},
            ).values_list("code", "pk")
        )
        members = self.ids_of([OfficialRow(kind, code, "") for _l, kind, code, _p in self.pending])
        links = []
        for line, kind, code, parent_code in self.pending:
            parent = parents.get(parent_code)
            if parent is None:
                self.error(
                    line, "COMPARENT", _("commune « %(code)s » inconnue") % {"code": parent_code}
                )
            elif (kind, code) in members:
                links.append((parent, members[(kind, code)], self.membership_source))
        bulk_insert(TerritoryMembership, ("container_id", "member_id", "source"), links)
        self.count("memberships", len(links))
        if self.report.ok:
            super().finish()


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
            Territory.objects.filter(kind=TerritoryKind.EPCI, country=Country.FRANCE)
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
            Territory.objects.filter(
                kind=TerritoryKind.COMMUNE,
                country=Country.FRANCE,
                code__in={c for _l, (c, _e) in batch},
            ).values_list("code", "pk")
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
            for t in Territory.objects.filter(
                kind=TerritoryKind.COMMUNE,
                country=Country.FRANCE,
                code__in={c for _l, (c, _p) in batch},
            ).only("pk", "code", "population", "population_year")
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
