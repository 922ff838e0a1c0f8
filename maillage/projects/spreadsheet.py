"""The action-plan spreadsheet: the columns, the import (`ActionPlanImporter`) and the export
(`export_rows`). An export re-imports to the same data (docs/data-formats.md)."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation, StrategyNode, Theme
from maillage.core import search
from maillage.core.bulk import bulk_insert, db_datetime
from maillage.core.imports import Column, Importer, RowChecks, RowInvalid
from maillage.core.text import fold
from maillage.directory.models import Organisation
from maillage.directory.services import organisation_create
from maillage.projects import services as project_services
from maillage.projects.enums import (
    SHARED_STATUS,
    Currency,
    FinancingStatus,
    ProjectStatus,
)
from maillage.projects.models import FinancingLine, Programme, Project
from maillage.territories.models import Territory

MAX_FINANCING_GROUPS = 20
LIST_SEPARATOR = ";"
BASE_COLUMNS = [
    "code",
    "titre",
    "resume",
    "description",
    "statut",
    "porteur",
    "partenaires",
    "territoires",
    "strategie",
    "thematiques",
    "date_debut",
    "date_fin",
    "cout_total",
    "devise",
    "projet_structurant",
]
# `devise_N` is optional (the project's currency when empty): a plan may mix EUR and CHF.
GROUP_COLUMNS = ["financeur", "dispositif", "montant", "statut_financement", "devise"]
EXPORT_ONLY = ["statut_partage"]  # the shared status, for other platforms; ignored on import
DECIMAL_SPACES = re.compile(r"[\s\u00a0\u202f]")


# What the report's counts mean, for people (the keys stay stable for scripts and tests).
COUNT_LABELS = {
    "created": gettext_lazy("projets créés"),
    "changed": gettext_lazy("projets modifiés"),
    "unchanged": gettext_lazy("projets inchangés"),
    "organisations_created": gettext_lazy("structures créées"),
}
# What a check (a dry run) says will happen.
FUTURE_COUNT_LABELS = {
    "created": gettext_lazy("projets qui seront créés"),
    "changed": gettext_lazy("projets qui seront modifiés"),
    "unchanged": gettext_lazy("projets inchangés"),
    "organisations_created": gettext_lazy("structures qui seront créées"),
}


def counts_for_people(counts: dict[str, int], *, future: bool = False) -> str:
    labels = FUTURE_COUNT_LABELS if future else COUNT_LABELS
    return ", ".join(f"{labels.get(key, key)} : {value}" for key, value in sorted(counts.items()))


def group_columns(n: int) -> list[str]:
    return [f"{name}_{n}" for name in GROUP_COLUMNS]


def template_header() -> list[str]:
    return [*BASE_COLUMNS, *group_columns(1), *group_columns(2)]


def _choices(enum) -> dict[str, str]:
    """Accept the API value and the French label, case- and accent-insensitive."""
    accepted = {}
    for value, label in enum.choices:
        accepted[fold(value)] = value
        accepted[fold(str(label))] = value
    return accepted


def parse_amount(text: str, column: str) -> Decimal:
    """ "1 234,50", "1234.50", "1 234 €": a French spreadsheet's numbers."""
    cleaned = DECIMAL_SPACES.sub("", text).replace("€", "").replace("CHF", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise RowInvalid(
            column, _("« %(text)s » n’est pas un montant.") % {"text": text}
        ) from error
    if amount < 0:
        raise RowInvalid(column, _("Un montant ne peut pas être négatif."))
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise RowInvalid(column, _("Deux décimales au plus."))
    return amount


def parse_date(text: str, column: str) -> date:
    try:
        if "/" in text:
            day, month, year = text.split("/")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text[:10])
    except ValueError as error:
        raise RowInvalid(
            column,
            _("« %(text)s » n’est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA).") % {"text": text},
        ) from error


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


@dataclass
class ParsedFinancing:
    funder: str  # the cell, resolved in write_batch
    programme: Programme | None
    amount: Decimal
    status: str
    currency: str | None = None


@dataclass
class ParsedProject:
    code: str
    fields: dict
    owner: str
    partners: list[str]
    territories: list[int]
    strategy_nodes: list[int]
    themes: list[int]
    financing: list[ParsedFinancing] = field(default_factory=list)


class ActionPlanImporter(Importer[ParsedProject]):
    """Import a cooperation's action plan. A row whose code exists updates that project (and
    a row identical to the project changes nothing); a new code creates one. Unknown
    organisations are an error unless `create_organisations`."""

    max_rows = 50_000  # an action plan is hundreds of rows; the benchmark imports 20 000
    max_seconds = 300  # 50 000 rows take about 130 s on a slow machine; a hostile file stops
    columns = [
        Column("code"),
        Column("titre", required=True, aliases=("title", "intitule")),
        Column("resume", aliases=("summary",)),
        Column("description"),
        Column("statut", aliases=("status",)),
        Column("porteur", aliases=("maitre_d_ouvrage", "owner")),
        Column("partenaires"),
        Column("territoires"),
        Column("strategie"),
        Column("thematiques"),
        Column("date_debut"),
        Column("date_fin"),
        Column("cout_total"),
        Column("devise"),
        Column("projet_structurant"),
        *[Column(name) for n in range(1, MAX_FINANCING_GROUPS + 1) for name in group_columns(n)],
    ]
    batch_size = 1000

    def __init__(
        self,
        *,
        actor: User | None,
        cooperation: Cooperation,
        create_organisations: bool = False,
        dry_run: bool = False,
    ):
        super().__init__(actor=actor, dry_run=dry_run)
        self.user = actor
        self.cooperation = cooperation
        self.create_organisations = create_organisations
        self.new_organisations: list[str] = []

    def describe(self) -> str:
        return _("Import du plan d’actions %(file)s") % {"file": self.report.filename}

    # Reference data, loaded once ------------------------------------------------------------
    def start(self) -> None:
        self.statuses = _choices(ProjectStatus)
        self.financing_statuses = _choices(FinancingStatus)
        self.currencies = {fold(c): c for c in Currency.values}
        self.programmes: dict[str, Programme] = {}
        for programme in Programme.objects.all():
            self.programmes[fold(programme.code)] = programme
            self.programmes[fold(programme.name)] = programme
        self.organisations_by_siren: dict[str, Organisation] = {}
        self.organisations_by_name: dict[str, Organisation] = {}
        for organisation in Organisation.objects.only("pk", "name", "siren", "search_name"):
            if organisation.siren:
                self.organisations_by_siren[organisation.siren] = organisation
            self.organisations_by_name.setdefault(organisation.search_name, organisation)
        self.nodes = dict(
            StrategyNode.objects.filter(cooperation=self.cooperation)
            .exclude(code="")
            .values_list("code", "pk")
        )
        self.themes = {
            fold(name): pk
            for name, pk in Theme.objects.filter(cooperation=self.cooperation).values_list(
                "name", "pk"
            )
        }
        self.territories: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for code, kind, country, pk in (
            Territory.objects.current()
            .exclude(code="")
            .values_list("code", "kind", "country", "pk")
        ):
            self.territories[code].append((kind, country, pk))
        # Codes only: the projects themselves are read batch by batch (memory stays flat).
        self.codes = set(
            Project.objects.filter(cooperation=self.cooperation).values_list("code", flat=True)
        )
        self.seen_codes: set[str] = set()
        self.next_number = max((int(c) for c in self.codes if c.isdigit()), default=0) + 1

    # One row ---------------------------------------------------------------------------------
    def _territory(self, token: str) -> int:
        prefix, _sep, code = token.rpartition(":")
        candidates = self.territories.get(code, [])
        if prefix.upper() in {"FR", "CH"}:
            candidates = [c for c in candidates if c[1] == prefix.upper()]
        elif prefix:
            candidates = [c for c in candidates if c[0] == prefix]
        if len(candidates) > 1:
            communes = [c for c in candidates if c[0] == "commune"]
            candidates = communes or candidates
        if len(candidates) != 1:
            message = (
                _("territoire inconnu : « %(code)s »")
                if not candidates
                else _("« %(code)s » est ambigu : écrivez nature:code")
            )
            raise RowInvalid("territoires", message % {"code": token})
        return candidates[0][2]

    def _organisation_known(self, cell: str) -> bool:
        return cell in self.organisations_by_siren or fold(cell) in self.organisations_by_name

    def _check_organisation(self, cell: str, column: str) -> str:
        if not self._organisation_known(cell):
            if not self.create_organisations:
                raise RowInvalid(
                    column,
                    _("structure inconnue : « %(name)s » (confirmez sa création pour l’importer)")
                    % {"name": cell},
                )
            if fold(cell) not in {fold(n) for n in self.new_organisations}:
                self.new_organisations.append(cell)
        return cell

    def _currency(self, text: str, column: str) -> str:
        if fold(text) not in self.currencies:
            raise RowInvalid(
                column, _("devise inconnue : « %(text)s » (EUR ou CHF)") % {"text": text}
            )
        return self.currencies[fold(text)]

    def parse_row(self, values: dict[str, str]) -> ParsedProject:
        """A row read and checked, every bad cell of it reported (`RowChecks`)."""
        checks = RowChecks()
        get = values.get
        code = get("code", "")
        with checks.cell():
            if "/" in code:
                raise RowInvalid("code", _("Un code ne contient pas de « / »."))
            if code:
                if code in self.seen_codes:
                    raise RowInvalid(
                        "code",
                        _("Le code « %(code)s » est déjà sur une autre ligne.") % {"code": code},
                    )
                self.seen_codes.add(code)
        fields: dict = {
            "title": values["titre"],
            "summary": get("resume", ""),
            "description": get("description", ""),
            "start_date": None,
            "end_date": None,
            "total_cost": None,
            "currency": Currency.EUR,
        }
        with checks.cell():
            if not fields["title"]:
                raise RowInvalid("titre", _("Le titre est obligatoire."))
        status_text = get("statut", "")
        with checks.cell():
            if status_text:
                if fold(status_text) not in self.statuses:
                    raise RowInvalid(
                        "statut", _("statut inconnu : « %(text)s »") % {"text": status_text}
                    )
                fields["status"] = self.statuses[fold(status_text)]
        for column, name in (("date_debut", "start_date"), ("date_fin", "end_date")):
            with checks.cell():
                fields[name] = parse_date(get(column, ""), column) if get(column) else None
        with checks.cell():
            if (
                fields["start_date"]
                and fields["end_date"]
                and fields["end_date"] < fields["start_date"]
            ):
                raise RowInvalid("date_fin", _("La fin précède le début."))
        cost = get("cout_total", "")
        with checks.cell():
            fields["total_cost"] = parse_amount(cost, "cout_total") if cost else None
        with checks.cell():
            fields["currency"] = self._currency(get("devise", "") or Currency.EUR, "devise")
        structuring = fold(get("projet_structurant", ""))
        with checks.cell():
            if structuring not in {"", "oui", "non", "true", "false", "1", "0", "x"}:
                raise RowInvalid("projet_structurant", _("Écrivez oui ou non."))
        fields["structuring"] = structuring in {"oui", "true", "1", "x"}
        owner = get("porteur", "")
        with checks.cell():
            if owner:
                self._check_organisation(owner, "porteur")
        partners = []
        for partner in split_list(get("partenaires", "")):
            with checks.cell():
                partners.append(self._check_organisation(partner, "partenaires"))
        territories = []
        for token in split_list(get("territoires", "")):
            with checks.cell():
                territories.append(self._territory(token))
        nodes = []
        for node_code in split_list(get("strategie", "")):
            with checks.cell():
                if node_code not in self.nodes:
                    raise RowInvalid(
                        "strategie",
                        _("code de stratégie inconnu : « %(code)s »") % {"code": node_code},
                    )
                nodes.append(self.nodes[node_code])
        themes = []
        for theme in split_list(get("thematiques", "")):
            with checks.cell():
                if fold(theme) not in self.themes:
                    raise RowInvalid(
                        "thematiques", _("thématique inconnue : « %(name)s »") % {"name": theme}
                    )
                themes.append(self.themes[fold(theme)])
        parsed = ParsedProject(code, fields, owner, partners, territories, nodes, themes)
        for n in range(1, MAX_FINANCING_GROUPS + 1):
            with checks.cell():
                line = self._financing(n, *(get(c, "") for c in group_columns(n)))
                if line is not None:
                    parsed.financing.append(line)
        checks.done()
        return parsed

    def _financing(
        self, n: int, funder: str, programme: str, amount: str, status: str, currency: str
    ) -> "ParsedFinancing | None":
        """The n-th financing group of a row (None when its cells are empty)."""
        if not (funder or programme or amount or status):
            return None
        if not funder or not amount:
            raise RowInvalid(f"financeur_{n}", _("Un financement a un financeur et un montant."))
        self._check_organisation(funder, f"financeur_{n}")
        found_programme = None
        if programme:
            found_programme = self.programmes.get(fold(programme))
            if found_programme is None:
                raise RowInvalid(
                    f"dispositif_{n}", _("dispositif inconnu : « %(name)s »") % {"name": programme}
                )
        line_status: str = FinancingStatus.PLANNED
        if status:
            if fold(status) not in self.financing_statuses:
                raise RowInvalid(
                    f"statut_financement_{n}",
                    _("statut de financement inconnu : « %(text)s »") % {"text": status},
                )
            line_status = self.financing_statuses[fold(status)]
        return ParsedFinancing(
            funder,
            found_programme,
            parse_amount(amount, f"montant_{n}"),
            line_status,
            self._currency(currency, f"devise_{n}") if currency else None,
        )

    # Writing ---------------------------------------------------------------------------------
    def _organisation(self, cell: str) -> Organisation:
        found = self.organisations_by_siren.get(cell) or self.organisations_by_name.get(fold(cell))
        if found is None:  # confirmed: create it (create_organisations)
            found = organisation_create(
                actor=self.user, name=cell, kind="other", confirm_duplicate=True
            )
            self.organisations_by_name[fold(cell)] = found
            self.count("organisations_created")
        return found

    def reindex_for_search(self) -> None:
        search.reindex(Project, self.cooperation.projects.values_list("pk", flat=True))

    def write_batch(self, batch: list[tuple[int, ParsedProject]]) -> None:
        if not self.report.ok:
            return  # an error earlier: nothing will be kept, skip the writing work
        creates: list[tuple[Project, ParsedProject]] = []
        updates: list[tuple[Project, ParsedProject]] = []
        known = {
            project.code: project
            for project in Project.objects.filter(
                cooperation=self.cooperation,
                code__in=[parsed.code for _line, parsed in batch if parsed.code in self.codes],
            )
        }
        for _line, parsed in batch:
            existing = known.get(parsed.code) if parsed.code else None
            if existing is not None:
                updates.append((existing, parsed))
                continue
            code = parsed.code or self._next_code()
            project = Project(
                cooperation=self.cooperation,
                code=code,
                status_changed_on=timezone.localdate(),
                visibility=self.cooperation.visibility,
                owner=self._organisation(parsed.owner) if parsed.owner else None,
                **parsed.fields,
            )
            self.codes.add(code)
            creates.append((project, parsed))
        for project, _parsed in creates:
            project.refresh_search_name()  # bulk_create skips save()
        Project.objects.bulk_create([project for project, _parsed in creates])
        self.count("created", len(creates))
        project_services.project_statuses_write(
            actor=self.user,
            changes=[(project, "", project.status) for project, _parsed in creates],
            comment=_("Créé par l’import %(file)s") % {"file": self.report.filename},
            on=timezone.localdate(),
        )
        links = {project.pk: parsed for project, parsed in creates}
        self._update(updates, links)
        self._write_links(links)

    def _next_code(self) -> str:
        while f"{self.next_number:03d}" in self.codes:
            self.next_number += 1
        return f"{self.next_number:03d}"

    def _update(
        self, updates: list[tuple[Project, ParsedProject]], links: dict[int, ParsedProject]
    ) -> None:
        current = self._snapshot([p.pk for p, _parsed in updates])
        changed_projects: list[Project] = []
        statuses: list[tuple[Project, str, str]] = []
        changed_fields: set[str] = set()
        for project, parsed in updates:
            wanted = dict(parsed.fields)
            wanted["owner_id"] = self._organisation(parsed.owner).pk if parsed.owner else None
            status = wanted.pop("status", project.status)  # an empty cell keeps it
            differences = {
                name: value for name, value in wanted.items() if getattr(project, name) != value
            }
            if status != project.status:
                statuses.append((project, project.status, status))
            links_differ = current.get(project.pk) != self._wanted_links(parsed)
            if differences:
                for name, value in differences.items():
                    setattr(project, name, value)
                project.refresh_search_name()  # bulk_update skips save()
                changed_fields |= {*differences, "search_name"}
                changed_projects.append(project)
            if links_differ:
                links[project.pk] = parsed
            if differences or links_differ or status != project.status:
                self.count("changed")
            else:
                self.count("unchanged")
        if changed_projects:
            Project.objects.bulk_update(changed_projects, sorted(changed_fields))
        project_services.project_statuses_write(
            actor=self.user,
            changes=statuses,
            comment=_("Import %(file)s") % {"file": self.report.filename},
            on=timezone.localdate(),
        )

    def _wanted_links(self, parsed: ParsedProject) -> tuple:
        organisation = self._organisation
        return (
            sorted(organisation(p).pk for p in parsed.partners),
            sorted(parsed.territories),
            sorted(parsed.strategy_nodes),
            sorted(parsed.themes),
            sorted(
                (
                    organisation(f.funder).pk,
                    f.programme.pk if f.programme else 0,
                    f.amount,
                    f.currency or parsed.fields["currency"],
                    f.status,
                )
                for f in parsed.financing
            ),
        )

    def _snapshot(self, project_ids: list[int]) -> dict[int, tuple]:
        """The links and financing of existing projects, in five queries for the batch."""
        through = Project.partners.through.objects.filter(project__in=project_ids)
        partners: dict[int, list] = defaultdict(list)
        for project_id, organisation_id in through.values_list("project", "organisation"):
            partners[project_id].append(organisation_id)
        territories: dict[int, list] = defaultdict(list)
        for project_id, territory_id in Project.territories.through.objects.filter(
            project__in=project_ids
        ).values_list("project", "territory"):
            territories[project_id].append(territory_id)
        nodes: dict[int, list] = defaultdict(list)
        for project_id, node_id in Project.strategy_nodes.through.objects.filter(
            project__in=project_ids
        ).values_list("project", "strategynode"):
            nodes[project_id].append(node_id)
        themes: dict[int, list] = defaultdict(list)
        for project_id, theme_id in Project.themes.through.objects.filter(
            project__in=project_ids
        ).values_list("project", "theme"):
            themes[project_id].append(theme_id)
        financing: dict[int, list] = defaultdict(list)
        for project_id, funder, programme, amount, currency, status in FinancingLine.objects.filter(
            project__in=project_ids
        ).values_list("project", "funder", "programme", "amount", "currency", "status"):
            financing[project_id].append((funder, programme or 0, amount, currency, status))
        return {
            pk: (
                sorted(partners[pk]),
                sorted(territories[pk]),
                sorted(nodes[pk]),
                sorted(themes[pk]),
                sorted(financing[pk]),
            )
            for pk in project_ids
        }

    def _write_links(self, links: dict[int, ParsedProject]) -> None:
        """Replace the links and financing lines of the projects that need it, in bulk."""
        if not links:
            return
        ids = list(links)
        for model in (
            Project.partners.through,
            Project.territories.through,
            Project.strategy_nodes.through,
            Project.themes.through,
        ):
            model.objects.filter(project__in=ids).delete()
        FinancingLine.objects.filter(project__in=ids).delete()
        # Raw bulk inserts (COPY on PostgreSQL): no model instances for these many small rows.
        links_of = {
            (Project.partners.through, "organisation"): lambda parsed: [
                self._organisation(name).pk for name in dict.fromkeys(parsed.partners)
            ],
            (Project.territories.through, "territory"): lambda parsed: list(
                dict.fromkeys(parsed.territories)
            ),
            (Project.strategy_nodes.through, "strategynode"): lambda parsed: list(
                dict.fromkeys(parsed.strategy_nodes)
            ),
            (Project.themes.through, "theme"): lambda parsed: list(dict.fromkeys(parsed.themes)),
        }
        for (through, target), targets in links_of.items():
            bulk_insert(
                through,
                ["project", target],
                [(pk, other) for pk, parsed in links.items() for other in targets(parsed)],
            )
        now = db_datetime(timezone.now())
        bulk_insert(
            FinancingLine,
            [
                "created_at",
                "updated_at",
                "project",
                "funder",
                "programme",
                "amount",
                "currency",
                "status",
            ],
            [
                (
                    now,
                    now,
                    pk,
                    self._organisation(f.funder).pk,
                    f.programme.pk if f.programme else None,
                    connection.ops.adapt_decimalfield_value(f.amount, 14, 2),
                    f.currency or parsed.fields["currency"],
                    f.status,
                )
                for pk, parsed in links.items()
                for f in parsed.financing
            ],
        )


# Export -------------------------------------------------------------------------------------


def _organisation_cell(organisation: Organisation | None) -> str:
    if organisation is None:
        return ""
    return organisation.siren or organisation.name


def export_rows(projects) -> tuple[list[str], list[list]]:
    """The header and rows of a portfolio export, in a fixed number of queries."""
    projects = list(
        projects.select_related("owner").prefetch_related(
            "partners",
            "territories",
            Prefetch("strategy_nodes", queryset=StrategyNode.objects.order_by("code")),
            "themes",
            Prefetch(
                "financing",
                queryset=FinancingLine.objects.select_related("funder", "programme").order_by("pk"),
            ),
        )
    )
    groups = max((len(p.financing.all()) for p in projects), default=0)
    header = [*BASE_COLUMNS, *EXPORT_ONLY]
    for n in range(1, max(groups, 1) + 1):
        header += group_columns(n)
    rows = []
    for p in projects:
        row = [
            p.code,
            p.title,
            p.summary,
            p.description,
            str(ProjectStatus(p.status).label),
            _organisation_cell(p.owner),
            "; ".join(_organisation_cell(o) for o in p.partners.all()),
            "; ".join(f"{t.kind}:{t.code}" for t in p.territories.all() if t.code),
            "; ".join(n.code for n in p.strategy_nodes.all() if n.code),
            "; ".join(t.name for t in p.themes.all()),
            p.start_date,
            p.end_date,
            p.total_cost,
            p.currency,
            _("oui") if p.structuring else _("non"),
            SHARED_STATUS[ProjectStatus(p.status)],
        ]
        for line in p.financing.all():
            row += [
                _organisation_cell(line.funder),
                line.programme.name if line.programme else "",
                line.amount,
                str(FinancingStatus(line.status).label),
                line.currency,
            ]
        rows.append(row)
    return header, rows
