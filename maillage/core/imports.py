"""The import framework: read a table, validate every row, then write all of it or nothing.

An importer declares its columns and how to turn one row into something to save. `run` reads
the whole file, collects every problem with its line and column (a person fixes them all in
one go), and only when there is none calls `save` inside one recorded transaction. With
`dry_run`, nothing is written and the report says what would have happened.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.core.history import recorded_change
from maillage.core.spreadsheets import SpreadsheetError, normalise_header, read_table

ParsedRow = TypeVar("ParsedRow")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("ligne %(line)s") % {"line": self.line}
        if self.column:
            where += _(", colonne « %(column)s »") % {"column": self.column}
        return f"{where} : {self.message}"


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class RowInvalid(Exception):
    """Raised by `parse_row` for one bad cell; the framework adds the line number."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class Importer(Generic[ParsedRow]):
    columns: ClassVar[Sequence[Column]] = ()

    def __init__(self, *, actor: AbstractBaseUser | None, dry_run: bool = False):
        self.actor = actor
        self.dry_run = dry_run

    # To implement -------------------------------------------------------------------------
    def parse_row(self, values: dict[str, str]) -> ParsedRow:
        """Turn one row (column name → cell text) into something to save, or raise RowInvalid."""
        raise NotImplementedError

    def save(self, parsed: list[ParsedRow]) -> dict[str, int]:
        """Write every parsed row; return counts for the report (e.g. created, updated)."""
        raise NotImplementedError

    def check_all(self, parsed: list[tuple[int, ParsedRow]]) -> Iterable[RowError]:
        """Rules across rows (duplicates…); runs only when every row parsed."""
        return ()

    def describe(self) -> str:
        return _("Import de %(name)s") % {"name": type(self).__name__}

    # The framework ---------------------------------------------------------------------------
    def _map_header(self, header: list[str], filename: str) -> dict[str, int]:
        wanted = {normalise_header(c.name): c for c in self.columns}
        for column in self.columns:
            for alias in column.aliases:
                wanted[normalise_header(alias)] = column
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            match = wanted.get(normalise_header(title))
            if match is not None and match.name not in positions:
                positions[match.name] = index
        missing = [c.name for c in self.columns if c.required and c.name not in positions]
        if missing:
            raise SpreadsheetError(
                _("%(file)s, ligne 1 : colonne(s) obligatoire(s) absente(s) : %(columns)s.")
                % {"file": filename, "columns": ", ".join(missing)}
            )
        return positions

    def run(self, data: bytes, filename: str) -> ImportReport:
        report = ImportReport(filename=filename, dry_run=self.dry_run)
        rows = iter(read_table(data, filename))
        header = next(rows, None)
        if header is None:
            raise SpreadsheetError(_("%(file)s est vide.") % {"file": filename})
        positions = self._map_header(header, filename)
        parsed: list[tuple[int, ParsedRow]] = []
        for line, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            report.rows += 1
            values = {
                name: (row[index].strip() if index < len(row) else "")
                for name, index in positions.items()
            }
            try:
                parsed.append((line, self.parse_row(values)))
            except RowInvalid as error:
                report.errors.append(RowError(line, error.column, error.message))
            except ValidationError as error:
                for message in error.messages:
                    report.errors.append(RowError(line, "", message))
        if not report.errors:
            report.errors.extend(self.check_all(parsed))
        if report.ok and not self.dry_run:
            with recorded_change(actor=self.actor, comment=self.describe()):
                report.counts = self.save([item for _line, item in parsed])
        return report
