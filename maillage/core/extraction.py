"""The words inside a file, for the search (core.search): PDF (pypdf), OpenDocument text
(odfpy), Word (python-docx), plain text. A file that cannot be read gives no words, never an
error: the document stays found by its title."""

import logging
from pathlib import PurePath
from typing import IO

logger = logging.getLogger(__name__)
MAX_CHARACTERS = 200_000  # as core.search.MAX_BODY_CHARACTERS
MAX_PDF_PAGES = 300


def extract_text(file: IO[bytes], name: str) -> str:
    """The text of `file` (its type from `name`), at most MAX_CHARACTERS."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    reader = _READERS.get(extension)
    if reader is None:
        return ""
    try:
        return " ".join(reader(file).split())[:MAX_CHARACTERS]
    except Exception:  # a damaged or hostile file: its title still finds it
        logger.warning("No text could be read from %s", name, exc_info=True)
        return ""


def _pdf(file: IO[bytes]) -> str:
    from pypdf import PdfReader

    parts: list[str] = []
    size = 0
    for page in PdfReader(file).pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARACTERS:
            break
    return "\n".join(parts)


def _odt(file: IO[bytes]) -> str:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    document = load(file)
    return "\n".join(
        teletype.extractText(element)
        for kind in (H, P)
        for element in document.getElementsByType(kind)
    )


def _docx(file: IO[bytes]) -> str:
    import docx

    document = docx.Document(file)
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def _plain(file: IO[bytes]) -> str:
    return file.read(MAX_CHARACTERS * 4).decode("utf-8", errors="replace")


_READERS = {"pdf": _pdf, "odt": _odt, "docx": _docx, "txt": _plain, "csv": _plain, "md": _plain}
