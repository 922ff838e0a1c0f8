"""One archive holding the database and the stored files together, and its restore.

A backup made of a database dump and, separately, a copy of the documents taken at another
moment does not restore to a coherent platform (rows naming files that are not there). The
archive (`manage.py backup`) is a tar.gz with `database.json` — every row, in Django's
serialisation with natural keys, so that it restores on SQLite as on PostgreSQL — and
`files/`, every stored file read through the storage API. `manage.py restore` loads it into an
empty, migrated database and puts the files back; the restore drill test proves that the
platform's figures are identical afterwards.
"""

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

FORMAT = 1
DATABASE = "database.json"
FILES = "files/"
MANIFEST = "manifest.json"
# Rebuilt by `migrate` on the new database (and tied to its ids), or passing state.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


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


def backup(path: Path) -> dict:
    """Write the archive; returns its manifest (rows are counted by model)."""
    dump = io.StringIO()
    # Unmanaged models (django-rq's dashboard) have no table of ours.
    unmanaged = [model._meta.label for model in apps.get_models() if not model._meta.managed]
    with transaction.atomic():  # one consistent view of the database
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=[*LEFT_OUT, *unmanaged],
            stdout=dump,
            verbosity=0,
        )
    rows = json.loads(dump.getvalue())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    files = list(stored_files())
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "rows": counts,
        "files": len(files),
    }
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        _add(archive, DATABASE, dump.getvalue().encode())
        for name in files:
            with default_storage.open(name, "rb") as stored:
                _add(archive, FILES + name, stored.read())
    return manifest


def database_is_empty() -> bool:
    """No account yet: a new database, where only the migrations have written."""
    return not get_user_model().objects.exists()


def restore(path: Path) -> dict:
    """Load an archive into this (empty, migrated) database and put its files back."""
    if not database_is_empty():
        raise RestoreRefused(
            "La base n’est pas vide : restaurez dans une base neuve (manage.py migrate), ou "
            "videz celle-ci (manage.py flush) si c’est bien ce que vous voulez."
        )
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(_member(archive, MANIFEST))
        if manifest.get("format") != FORMAT:
            raise RestoreRefused(f"Archive au format {manifest.get('format')} : attendu {FORMAT}.")
        fixture = Path(path).with_suffix(".restore.json")
        fixture.write_bytes(_member(archive, DATABASE).read())
        try:
            with transaction.atomic():
                _clear_rows_made_by_migrations(manifest["rows"])
                call_command("loaddata", str(fixture), verbosity=0)
        finally:
            fixture.unlink()
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(FILES):
                name = member.name.removeprefix(FILES)
                if ".." in Path(name).parts:
                    raise RestoreRefused(f"Chemin refusé dans l’archive : {member.name}")
                if default_storage.exists(name):
                    default_storage.delete(name)
                default_storage.save(name, ContentFile(_member(archive, member.name).read()))
    return manifest


def _member(archive: tarfile.TarFile, name: str):
    stream = archive.extractfile(name)
    if stream is None:
        raise RestoreRefused(f"L’archive n’a pas de {name}.")
    return stream


def _clear_rows_made_by_migrations(labels) -> None:
    """The migrations of a new database write some rows (the list of programmes): the archive
    holds them as they were, with their ids; these go, so that they come back as archived."""
    for label in labels:
        apps.get_model(label)._default_manager.all().delete()
