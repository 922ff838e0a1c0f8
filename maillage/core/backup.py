"""One archive holding the database and the stored files together, and its restore.

A backup made of a database dump and, separately, a copy of the documents taken at another
moment does not restore to a coherent platform (rows naming files that are not there). The
archive (`manage.py backup`) is a tar.gz with `database.jsonl` — every row, in Django's
serialisation (JSON lines, read back one row at a time) with natural keys, so that it restores
on SQLite as on PostgreSQL —, `bulk/` for the tables of many rows (`BULK_MODELS`), and
`files/`, every stored file read through the storage API.
`manage.py restore` loads it into an empty, migrated database and puts the files back; the
restore drill test proves that the platform's figures are identical afterwards.
"""

import base64
import datetime as dt
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from maillage.core import search
from maillage.core.bulk import bulk_insert, db_datetime

FORMAT = 1
DATABASE = "database.jsonl"
FILES = "files/"
MANIFEST = "manifest.json"
# Rebuilt by `migrate` on the new database (and tied to its ids), or passing state.
# The search index is rebuilt from the rows after a restore (core.search).
LEFT_OUT = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "core.searchentry",
]
BULK = "bulk/"
# Tables of many rows (the observatory's flows, statistics and outlines): archived as plain
# rows — `bulk/<app_label.model>.jsonl`, a JSON array per row, the concrete columns in order,
# bytes in base64 — and restored with `core.bulk.bulk_insert` after the other rows, instead
# of one save() per row (loading a million flows so would take hours). Apps add theirs in
# `AppConfig.ready()`; their foreign keys name rows by id (no natural keys: ids are kept).
BULK_MODELS: list[type[Model]] = []


class RestoreRefused(Exception):
    """The archive cannot be restored here; the message says why, for the operator."""


def stored_files(directory: str = "") -> Iterator[str]:
    folders, files = default_storage.listdir(directory)
    for name in files:
        yield f"{directory}{name}"
    for folder in folders:
        yield from stored_files(f"{directory}{folder}/")


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def _dumped_models() -> list:
    """The models the archive holds: ours and the libraries' with a table, but those in
    LEFT_OUT (unmanaged models, like django-rq's dashboard, have no table)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in LEFT_OUT
        and model._meta.label_lower not in LEFT_OUT
    ]


def backup(path: Path) -> dict:
    """Write the archive; returns its manifest (rows counted by model). The rows go to a
    temporary file as JSON lines and into the archive from there: memory stays flat whatever
    the size of the database."""
    models = _dumped_models()
    bulk = [model for model in models if model in BULK_MODELS]
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / DATABASE
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            # One snapshot for every table read below (a transaction already open keeps its own).
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                *[model._meta.label_lower for model in models if model not in bulk],
                format="jsonl",
                natural_foreign=True,
                natural_primary=True,
                output=str(dump),
                verbosity=0,
            )
            counts = {model._meta.label_lower: model._default_manager.count() for model in models}
            for model in bulk:
                _dump_rows(model, Path(folder) / model._meta.label_lower)
        files = list(stored_files())
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "rows": {label: count for label, count in counts.items() if count},
            "files": len(files),
        }
        with tarfile.open(path, "w:gz") as archive:
            _add(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
            archive.add(dump, arcname=DATABASE)
            for model in bulk:
                label = model._meta.label_lower
                archive.add(Path(folder) / label, arcname=f"{BULK}{label}.jsonl")
            for name in files:
                info = tarfile.TarInfo(FILES + name)
                info.size = default_storage.size(name)
                info.mtime = int(timezone.now().timestamp())
                with default_storage.open(name, "rb") as stored:
                    archive.addfile(info, stored)
    return manifest


def database_is_empty() -> bool:
    """No account yet: a new database, where only the migrations have written."""
    return not get_user_model().objects.exists()


def restore(path: Path) -> dict:
    """Load an archive into this (empty, migrated) database and put its files back."""
    if not database_is_empty():
        raise RestoreRefused(
            _(
                "La base n’est pas vide : restaurez dans une base neuve (manage.py migrate), "
                "ou videz celle-ci (manage.py flush) si c’est bien ce que vous voulez."
            )
        )
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(_member(archive, MANIFEST))
        if manifest.get("format") != FORMAT:
            raise RestoreRefused(
                _("Archive au format %(found)s : attendu %(expected)s.")
                % {"found": manifest.get("format"), "expected": FORMAT}
            )
        fixture = Path(path).with_suffix(".restore.jsonl")
        with fixture.open("wb") as rows:
            shutil.copyfileobj(_member(archive, DATABASE), rows)
        try:
            with transaction.atomic():
                _clear_rows_made_by_migrations(manifest["rows"])
                call_command("loaddata", str(fixture), verbosity=0)
                for model in BULK_MODELS:
                    name = f"{BULK}{model._meta.label_lower}.jsonl"
                    if name in archive.getnames():
                        _load_rows(model, _member(archive, name))
        finally:
            fixture.unlink()
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(FILES):
                name = member.name.removeprefix(FILES)
                if ".." in Path(name).parts:
                    raise RestoreRefused(
                        _("Chemin refusé dans l’archive : %(name)s") % {"name": member.name}
                    )
                if default_storage.exists(name):
                    default_storage.delete(name)
                default_storage.save(name, ContentFile(_member(archive, member.name).read()))
    search.rebuild()  # after the files: the documents' words are read from them
    return manifest


def _columns(model: type[Model]) -> list:
    return list(model._meta.concrete_fields)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    return value


def _decoder(field) -> Callable[[Any], Any]:
    kind = field.get_internal_type()
    if kind == "BinaryField":
        return base64.b64decode
    if kind == "DateTimeField":
        return lambda text: db_datetime(parse_datetime(text))
    if kind == "DateField":
        return parse_date
    return lambda value: value


def _dump_rows(model: type[Model], path: Path) -> None:
    names = [field.attname for field in _columns(model)]
    rows = model._default_manager.order_by("pk").values_list(*names)
    with path.open("w", encoding="utf-8") as out:
        for row in rows.iterator(chunk_size=20_000):
            out.write(json.dumps([_encode(value) for value in row], ensure_ascii=False) + "\n")


def _load_rows(model: type[Model], stream) -> None:
    fields = _columns(model)
    decoders = [_decoder(field) for field in fields]
    rows = (
        [
            None if value is None else decode(value)
            for decode, value in zip(decoders, json.loads(line), strict=True)
        ]
        for line in io.TextIOWrapper(stream, encoding="utf-8")
    )
    bulk_insert(model, [field.attname for field in fields], rows)
    with connection.cursor() as cursor:  # the next id after those restored (PostgreSQL)
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def _member(archive: tarfile.TarFile, name: str):
    stream = archive.extractfile(name)
    if stream is None:
        raise RestoreRefused(_("L’archive n’a pas de %(name)s.") % {"name": name})
    return stream


def _clear_rows_made_by_migrations(labels) -> None:
    """The migrations of a new database write some rows (the list of programmes): the archive
    holds them as they were, with their ids; these go, so that they come back as archived."""
    for label in labels:
        apps.get_model(label)._default_manager.all().delete()
