"""The import framework: stream a table, validate every row, write all of it or nothing.

An importer declares its columns and how to read one row (`parse_row`) and write a batch of
parsed rows (`write_batch`). `run` finds the header row (below a title block if there is one),
streams the file in batches inside one transaction, collects every problem with its line and
column (a person fixes them all in one go), and rolls everything back when there is one, or
when it is a dry run. Memory holds one batch, never the whole file.

A dry run writes nothing to the database: on SQLite, where one writer at a time holds the whole
database, it runs on a private copy in memory (`private_copy`), so that it takes no write lock
and logins and edits go on meanwhile; on PostgreSQL its rolled-back transaction blocks no one
but writers of the very rows it touches.
"""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import BinaryIO, ClassVar, Generic, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.history import recorded_change
from maillage.core.spreadsheets import SpreadsheetError, normalise_header, read_table

ParsedRow = TypeVar("ParsedRow")

MAX_REPORTED_ERRORS = 1000


@contextmanager
def private_copy() -> Iterator[None]:
    """On SQLite, run the block on a copy of the database in memory, thrown away after: the
    database itself is only read, once, by SQLite's backup (no write lock). Elsewhere, or
    inside a transaction (whose writes a copy could not take; the commands, the worker and the
    pages run outside one), run the block as it is."""
    if (
        connection.vendor != "sqlite"
        or connection.in_atomic_block
        or getattr(connection, "private_copy", False)
    ):
        yield
        return
    connection.ensure_connection()
    params = {**connection.get_connection_params(), "database": ":memory:", "uri": False}
    copy = connection.get_new_connection(params)
    connection.connection.backup(copy)
    original, connection.connection = connection.connection, copy
    connection.private_copy = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        connection.connection = original
        connection.private_copy = False  # type: ignore[attr-defined]
        copy.close()
        # What was cached from the copy (a content type made there) may not be in the database.
        ContentType.objects.clear_cache()


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
    # What a person should know that is no error (codes of the file left aside…).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def error_lines(self) -> list[str]:
        return [f"{self.filename}, {error}" for error in self.errors]


class RowInvalid(Exception):
    """Raised by `parse_row` for a bad cell (and, through `RowChecks`, every other bad cell
    of the row: `problems`); the framework adds the line number."""

    def __init__(self, column: str, message: str, *, more: Sequence[tuple[str, str]] = ()):
        super().__init__(message)
        self.column = column
        self.message = message
        self.problems = [(column, message), *more]


class RowChecks:
    """A row's problems, all of them: each independent check runs in `with checks.cell():`,
    and `done()` raises them together, so that a person fixes a row in one go (a row with four
    mistakes took four uploads)."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    @contextmanager
    def cell(self) -> Iterator[None]:
        try:
            yield
        except RowInvalid as invalid:
            self.problems.extend(invalid.problems)

    def done(self) -> None:
        if self.problems:
            (column, message), *more = self.problems
            raise RowInvalid(column, message, more=more)


class _RollBack(Exception):
    pass


class Importer(Generic[ParsedRow]):
    columns: Sequence[Column] = ()
    sheet: ClassVar[str | None] = None
    batch_size: ClassVar[int] = 2000
    # A file uploaded through a page may hold at most this many rows (None: no limit, for the
    # official files loaded by commands): past it the import stops with an error.
    max_rows: ClassVar[int | None] = None
    # And may take at most this many seconds (None: no limit): past it, the same.
    max_seconds: ClassVar[float | None] = None
    # Official workbooks put a title block above the header; look that far down for it.
    header_search_rows: ClassVar[int] = 30

    def __init__(self, *, actor: AbstractBaseUser | None, dry_run: bool = False):
        self.actor = actor
        self.dry_run = dry_run
        self.report = ImportReport(filename="", dry_run=dry_run)

    # To implement -------------------------------------------------------------------------
    def parse_row(self, values: dict[str, str]) -> ParsedRow:
        """Turn one row (column name → cell text) into something to write, or raise RowInvalid."""
        raise NotImplementedError

    def start(self) -> None:
        """Before the first row, inside the transaction: load what rows are checked against."""

    def write_batch(self, batch: list[tuple[int, ParsedRow]]) -> None:
        """Write a batch of parsed rows (with their line numbers); may report errors."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last row, inside the transaction: rules across rows, what is gone…"""

    def reindex_for_search(self) -> None:
        """Once the import has committed: put what its bulk writes changed in the search
        (core.search.reindex), which saves one by one would have done."""

    def describe(self) -> str:
        return _("Import de %(name)s") % {"name": self.report.filename}

    # Helpers for importers ------------------------------------------------------------------
    def error(self, line: int, column: str, message: str) -> None:
        if len(self.report.errors) < MAX_REPORTED_ERRORS:
            self.report.errors.append(RowError(line, column, message))

    def count(self, key: str, n: int = 1) -> None:
        self.report.counts[key] = self.report.counts.get(key, 0) + n

    # The framework ---------------------------------------------------------------------------
    def _find_header(self, rows: Iterator[list[str]], filename: str) -> tuple[int, dict[str, int]]:
        wanted: dict[str, Column] = {}
        for column in self.columns:
            for name in (column.name, *column.aliases):
                wanted[normalise_header(name)] = column
        required = {c.name for c in self.columns if c.required}
        best: tuple[int, dict[str, int]] | None = None
        empty = True
        for line, row in enumerate(rows, start=1):
            empty = empty and not any(cell.strip() for cell in row)
            positions: dict[str, int] = {}
            for index, title in enumerate(row):
                match = wanted.get(normalise_header(title)) if title else None
                if match is not None and match.name not in positions:
                    positions[match.name] = index
            if required <= set(positions):
                return line, positions
            if positions and (best is None or len(positions) > len(best[1])):
                best = (line, positions)
            if line >= self.header_search_rows:
                break
        if empty:
            raise SpreadsheetError(_("%(file)s est vide.") % {"file": filename})
        line, found = best if best is not None else (1, {})
        missing = sorted(required - set(found))
        raise SpreadsheetError(
            ngettext(
                "%(file)s, ligne %(line)s : colonne obligatoire absente : %(columns)s.",
                "%(file)s, ligne %(line)s : colonnes obligatoires absentes : %(columns)s.",
                len(missing),
            )
            % {"file": filename, "line": line, "columns": ", ".join(missing)}
        )

    def run(self, source: bytes | BinaryIO, filename: str) -> ImportReport:
        if self.dry_run:
            with private_copy():
                return self._run(source, filename)
        return self._run(source, filename)

    def _run(self, source: bytes | BinaryIO, filename: str) -> ImportReport:
        self.report = ImportReport(filename=filename, dry_run=self.dry_run)
        rows = iter(read_table(source, filename, sheet=self.sheet))
        header_line, positions = self._find_header(rows, filename)
        try:
            with recorded_change(actor=self.actor, comment=self.describe()):
                self.start()
                if not self.dry_run:
                    transaction.on_commit(self.reindex_for_search)
                batch: list[tuple[int, ParsedRow]] = []
                names = list(positions)
                pick = itemgetter(*positions.values())
                strip = str.strip
                rows_seen = 0
                deadline = time.monotonic() + self.max_seconds if self.max_seconds else None
                for line, row in enumerate(rows, start=header_line + 1):
                    if not any(row):  # a line of empty cells (";;;") is no row
                        continue
                    rows_seen += 1
                    if self.max_rows is not None and rows_seen > self.max_rows:
                        self.error(
                            line,
                            "",
                            _("Le fichier dépasse %(rows)s lignes : découpez-le.")
                            % {"rows": self.max_rows},
                        )
                        break
                    try:
                        cells = pick(row)
                    except IndexError:  # a short row: the missing cells are empty
                        cells = tuple(row[i] if i < len(row) else "" for i in positions.values())
                    if len(names) == 1:
                        cells = (cells,)
                    values = dict(zip(names, map(strip, cells)))  # noqa: B905 - same length by construction
                    try:
                        batch.append((line, self.parse_row(values)))
                    except RowInvalid as invalid:
                        for column, message in invalid.problems:
                            self.error(line, column, message)
                    except ValidationError as invalid:
                        for message in invalid.messages:
                            self.error(line, "", message)
                    if len(batch) >= self.batch_size:
                        self.write_batch(batch)
                        batch = []
                        if deadline is not None and time.monotonic() > deadline:
                            self.error(
                                line,
                                "",
                                _("Le fichier demande plus de %(seconds)s s : découpez-le.")
                                % {"seconds": self.max_seconds},
                            )
                            break
                self.report.rows = rows_seen
                if batch:
                    self.write_batch(batch)
                if self.report.ok:
                    self.finish()
                if not self.report.ok or self.dry_run:
                    raise _RollBack
        except _RollBack:
            pass
        return self.report
