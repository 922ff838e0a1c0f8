import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from maillage.core.spreadsheets import (
    SpreadsheetError,
    SpreadsheetFormat,
    export_bytes,
    neutralise,
    normalise_header,
    read_table,
)

HEADER = ["Code", "Titre", "Coût"]
ROWS: list[list[Any]] = [
    ["1.3", '=HYPERLINK("http://evil")', 35000],
    ["4.1.2", "+33 1 23", 12.5],
    ["4.2.2", "@SUM(A1)", None],
    ["4.2.3", "-2+3", dt.date(2016, 11, 4)],
    ["5", "Réseau de chaleur", 0],
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Brest", "Brest"),
        (-3, -3),
        (None, ""),
        (True, "oui"),
    ],
)
def test_values_that_would_run_as_formulas_are_neutralised(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("fmt", list(SpreadsheetFormat))
def test_every_format_round_trips_with_formulas_defused(fmt):
    data = export_bytes(fmt, HEADER, ROWS)
    rows = list(read_table(data, f"export.{fmt.value}"))

    assert rows[0] == HEADER
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[2][1] == "'+33 1 23"
    assert rows[3][1] == "'@SUM(A1)"
    assert rows[5][1] == "Réseau de chaleur"
    assert rows[1][2] in {"35000", "35000.0"}


def test_xlsx_keeps_numbers_and_dates_typed_and_stores_no_formula():
    workbook = load_workbook(io.BytesIO(export_bytes(SpreadsheetFormat.XLSX, HEADER, ROWS)))
    sheet = workbook.active
    assert sheet["C2"].value == 35000
    assert sheet["C5"].value.date() == dt.date(2016, 11, 4)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_opens_in_french_spreadsheet_programs():
    data = export_bytes(SpreadsheetFormat.CSV, HEADER, ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.splitlines()[0].decode("utf-8-sig") == "Code;Titre;Coût"


def test_latin1_comma_separated_files_are_read():
    data = "code,titre\n1,Santé à Carhaix\n".encode("latin-1")
    assert list(read_table(data, "plan.csv")) == [["code", "titre"], ["1", "Santé à Carhaix"]]


def test_utf8_semicolon_files_are_read():
    data = "code;titre\n1;Énergie, environnement\n".encode()
    assert list(read_table(data, "plan.csv"))[1] == ["1", "Énergie, environnement"]


def test_an_unknown_format_is_named():
    with pytest.raises(SpreadsheetError, match="pdf"):
        read_table(b"%PDF", "plan.pdf")


def test_a_broken_workbook_says_so():
    with pytest.raises(SpreadsheetError, match="xlsx"):
        list(read_table(b"not a zip", "plan.xlsx"))


def test_headers_match_whatever_the_case_accents_and_spaces():
    assert normalise_header(" Territoires ") == normalise_header("TERRITOIRES")
    assert normalise_header("Coût total") == "cout_total"


def _bomb(suffix_member: str) -> bytes:
    """A small workbook whose one part unpacks a thousand times bigger (a "zip bomb")."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(suffix_member, b"<a>" + b"0" * (8 * 1024 * 1024) + b"</a>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "member"), [("plan.xlsx", "xl/sharedStrings.xml"), ("plan.ods", "content.xml")]
)
def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused_before_parsing(name, member):
    import time

    content = _bomb(member)
    assert len(content) < 100 * 1024
    started = time.perf_counter()
    with pytest.raises(SpreadsheetError, match="se décompresse en"):
        list(read_table(content, name))
    assert time.perf_counter() - started < 1


def test_a_file_that_is_no_zip_is_an_unreadable_workbook():
    with pytest.raises(SpreadsheetError, match="pas un classeur xlsx lisible"):
        list(read_table(b"not a zip", "plan.xlsx"))
