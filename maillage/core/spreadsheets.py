"""Spreadsheets in and out: csv, xlsx and ods.

Export: every text cell that a spreadsheet program would run as a formula (starting with
=, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, as OWASP recommends
against formula injection; numbers and dates stay typed.
Read: `read_table` yields the rows of the first sheet as lists of strings, whatever the format;
CSV files may be UTF-8 (with or without BOM) or Latin-1, separated by `;` or `,`.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePath
from typing import IO, Any, BinaryIO

from django.http import HttpResponse
from django.utils.translation import gettext as _

from maillage.core.text import fold

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    ODS = "ods"


CONTENT_TYPES = {
    SpreadsheetFormat.CSV: "text/csv; charset=utf-8",
    SpreadsheetFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    SpreadsheetFormat.ODS: "application/vnd.oasis.opendocument.spreadsheet",
}


class SpreadsheetError(ValueError):
    """The file cannot be read as a table; the message says why, for a person."""


def neutralise(value: Any) -> Any:
    """Make a cell value safe to open in a spreadsheet program."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _safe_rows(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [neutralise(value) for value in row]


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str]) -> None:
    # `;` and a BOM: what French spreadsheet programs open correctly by double-click.
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows(_safe_rows(rows))


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[bytes]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([neutralise(h) for h in header])
    for row in _safe_rows(rows):
        # openpyxl cannot store timezone-aware datetimes; the local time is what readers expect.
        sheet.append([v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in row])
    workbook.save(out)


def write_ods(header: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[bytes]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Export")
    for values in [[neutralise(h) for h in header], *_safe_rows(rows)]:
        table_row = TableRow()
        for value in values:
            if isinstance(value, int | float | Decimal):
                cell = TableCell(valuetype="float", value=str(value))
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.write(out)


def export_bytes(
    fmt: SpreadsheetFormat, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> bytes:
    if fmt == SpreadsheetFormat.CSV:
        text = io.StringIO()
        write_csv(header, rows, text)
        return text.getvalue().encode("utf-8")
    binary = io.BytesIO()
    (write_xlsx if fmt == SpreadsheetFormat.XLSX else write_ods)(header, rows, binary)
    return binary.getvalue()


def spreadsheet_response(
    fmt: SpreadsheetFormat, stem: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download named `stem` + the format's extension."""
    response = HttpResponse(export_bytes(fmt, header, rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt.value}"'
    return response


def normalise_header(text: str) -> str:
    """`Territoires ` and `territoires` and `TERRITOIRES` name the same column; so do é and e."""
    return fold(text).replace(" ", "_")


def detect_encoding(stream: BinaryIO) -> str:
    """UTF-8 (BOM or not) when the whole file decodes so; else Windows-1252, the Latin-1 that
    French spreadsheet programs write. Reads the file once in chunks, then rewinds it."""
    start = stream.read(3)
    if start == b"\xef\xbb\xbf":
        stream.seek(0)
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = start
    try:
        while chunk:
            decoder.decode(chunk)
            chunk = stream.read(1 << 20)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    if encoding == "cp1252":
        try:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                chunk.decode("cp1252")
        except UnicodeDecodeError:
            encoding = "latin-1"
        stream.seek(0)
    return encoding


def _read_csv(stream: BinaryIO) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding=detect_encoding(stream), newline="")
    first_line = text.readline()
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    yield from csv.reader(itertools.chain([first_line], text), delimiter=delimiter)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


# A workbook is a zip: a 1 MB file can declare gigabytes of XML (a "zip bomb") and hold a web
# worker for minutes. What a spreadsheet may unpack to, in all and per part, is checked against
# the sizes its zip declares (Python's zipfile never inflates a member past its declared size).
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, for a part of more than a megabyte


def check_unpacked_size(stream: BinaryIO, kind: str) -> None:
    """Refuse, before any parsing, a workbook that would unpack beyond reason."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(
            _("Ce fichier n’est pas un classeur %(kind)s lisible.") % {"kind": kind}
        ) from error
    finally:
        stream.seek(0)
    unpacked = sum(member.file_size for member in members)
    swollen = any(
        member.file_size > 1024 * 1024
        and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if unpacked > MAX_UNPACKED or swollen:
        raise SpreadsheetError(
            _(
                "Ce classeur se décompresse en %(size)s Mo, ou bien plus que ce qu’il pèse : "
                "il n’est pas lu. Enregistrez-le à nouveau depuis votre tableur, ou en csv."
            )
            % {"size": unpacked // (1024 * 1024)}
        )


def _read_xlsx(stream: BinaryIO, sheet: str | None) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    check_unpacked_size(stream, "xlsx")
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:
        raise SpreadsheetError(_("Ce fichier n’est pas un classeur xlsx lisible.")) from error
    if sheet is not None and sheet not in workbook.sheetnames:
        raise SpreadsheetError(
            _("Le classeur n’a pas de feuille « %(sheet)s » (feuilles : %(sheets)s).")
            % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
        )
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    for row in worksheet.iter_rows(values_only=True):
        yield [_cell_text(v) for v in row]
    workbook.close()


def _read_ods(stream: BinaryIO, sheet: str | None) -> Iterator[list[str]]:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    check_unpacked_size(stream, "ods")
    try:
        document = load(stream)
    except Exception as error:
        raise SpreadsheetError(_("Ce fichier n’est pas un classeur ods lisible.")) from error
    tables = document.spreadsheet.getElementsByType(Table)
    if sheet is not None:
        tables = [t for t in tables if t.getAttribute("name") == sheet]
        if not tables:
            raise SpreadsheetError(
                _("Le classeur n’a pas de feuille « %(sheet)s ».") % {"sheet": sheet}
            )
    if not tables:
        return
    for table_row in tables[0].getElementsByType(TableRow):
        values: list[str] = []
        for cell in table_row.getElementsByType(TableCell):
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            # A repeated empty cell pads the row to the sheet's width; it holds nothing.
            values.extend([str(cell).strip()] * min(repeat, 1000))
        while values and values[-1] == "":
            values.pop()
        yield values


def read_table(
    source: bytes | BinaryIO, filename: str, *, sheet: str | None = None
) -> Iterator[list[str]]:
    """The rows of a csv, xlsx or ods file (of `sheet`, or the first), each as a list of cell
    texts. CSV files are streamed: memory stays flat whatever their size."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix == "xlsx":
        return _read_xlsx(stream, sheet)
    if suffix == "ods":
        return _read_ods(stream, sheet)
    if suffix in {"csv", "txt"}:
        return _read_csv(stream)
    raise SpreadsheetError(
        _("Format de fichier non pris en charge : « %(suffix)s » (attendu : csv, xlsx ou ods).")
        % {"suffix": suffix or "?"}
    )
