"""The stored files nothing points to any more, and their purge.

Deleting a document keeps its file so that the history can bring the document back; a failed
transaction or an abandoned import preview leaves a file too. A file is kept while a row or a
version of the history names it, and while it is younger than the grace period (an upload
whose transaction has not committed yet looks like an orphan)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from posixpath import join

import reversion
from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone
from reversion.models import Version


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that stores a file."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def referenced_names() -> set[str]:
    """The file names that live rows or versions of the history name (one query per field,
    and one pass over the versions of each model that stores files)."""
    names: set[str] = set()
    for model, name in file_fields():
        names.update(
            model._base_manager.exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .values_list(name, flat=True)
        )
        if not reversion.is_registered(model):
            continue
        versions = Version.objects.get_for_model(model).values_list("format", "serialized_data")
        for data_format, data in versions.iterator():
            if data_format != "json":  # reversion writes JSON unless told otherwise
                raise ValueError(f"Cannot read a {data_format} version")
            for saved in json.loads(data):
                if saved["fields"].get(name):
                    names.add(saved["fields"][name])
    return names


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    directories, files = storage.listdir(directory)
    for name in files:
        yield join(directory, name) if directory else name
    for name in directories:
        yield from stored_names(storage, join(directory, name) if directory else name)


@dataclass
class Purge:
    deleted: list[str] = field(default_factory=list)
    size: int = 0
    kept_recent: int = 0


def purge_unreferenced_files(*, storage: Storage, grace: timedelta, dry_run: bool) -> Purge:
    """Delete (or, in a dry run, list) the stored files that nothing names and that are older
    than `grace`."""
    referenced = referenced_names()
    limit = timezone.now() - grace
    purge = Purge()
    for name in stored_names(storage):
        if name in referenced:
            continue
        if storage.get_modified_time(name) > limit:
            purge.kept_recent += 1
            continue
        purge.deleted.append(name)
        purge.size += storage.size(name)
        if not dry_run:
            storage.delete(name)
    return purge
