"""The change history: who changed what, and when.

Every service runs its writes inside `recorded_change(actor=…, comment=…)`: one database
transaction and one django-reversion revision, so the saved objects of registered models get a
version signed by the actor. `history_for(obj)` turns those versions into readable entries with
the fields that changed; `deleted_versions` and `restore_deleted` make deletion reversible.
"""

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext as _
from reversion.models import Version

# Timestamps change on every save and say nothing a reader needs.
IGNORED_FIELDS = frozenset({"created_at", "updated_at", "search_name"})  # bookkeeping, not content


@contextmanager
def recorded_change(
    *, actor: AbstractBaseUser | AnonymousUser | None, comment: str
) -> Iterator[None]:
    """Run a business operation in one transaction and record it as one revision."""
    with transaction.atomic(), reversion.create_revision(atomic=False):
        if actor is not None and actor.is_authenticated:
            reversion.set_user(actor)
        reversion.set_comment(comment)
        yield


@dataclass(frozen=True)
class FieldChange:
    """A field's change: the stored values (`before`, `after`: what the API gives) and how a
    person reads them (`shown_before`, `shown_after`: a choice's label, a related object's
    name, "oui"/"non", a typed date or amount the page formats)."""

    field: str
    label: str
    before: Any
    after: Any
    shown_before: Any = None
    shown_after: Any = None


@dataclass(frozen=True)
class HistoryEntry:
    version_id: int
    date: datetime
    actor: str
    comment: str
    changes: list[FieldChange] = field(default_factory=list)


def _fields_of(version: Version) -> dict[str, Any]:
    # Reading the serialized JSON avoids deserialising (and querying) related objects.
    return json.loads(version.serialized_data)[0]["fields"]


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _field(model: type[models.Model], name: str) -> models.Field | None:
    """The model's field of that name (None: a name an older schema stored)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _typed(model: type[models.Model], name: str, value: Any) -> Any:
    """A stored value as its field reads it ("500000" and "500000.00" are one amount)."""
    field = _field(model, name)
    if field is None:
        return value
    if value is None or field.many_to_many:
        return sorted(value) if isinstance(value, list) else value
    try:
        return field.to_python(value)
    except Exception:
        return value


def _related_names(model: type[models.Model], fields: list[dict[str, Any]]) -> dict:
    """The names of the objects the versions' references point to: one query per related
    model, whatever the number of versions."""
    wanted: dict[type[models.Model], set] = {}
    for values in fields:
        for name, value in values.items():
            field = _field(model, name)
            if field is not None and field.is_relation and value not in (None, []):
                ids = value if isinstance(value, list) else [value]
                wanted.setdefault(field.related_model, set()).update(ids)  # type: ignore[arg-type]
    return {
        related: {pk: str(obj) for pk, obj in related._default_manager.in_bulk(ids).items()}
        for related, ids in wanted.items()
    }


def _shown(model: type[models.Model], name: str, value: Any, names: dict) -> Any:
    field = _field(model, name)
    if field is None:
        return value
    if value is None or value == "" or value == []:
        return None
    if field.is_relation:
        known = names.get(field.related_model, {})
        ids = value if isinstance(value, list) else [value]
        return ", ".join(known.get(pk, f"#{pk}") for pk in ids)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("oui") if value else _("non")
    return value


def history_for(obj: models.Model) -> list[HistoryEntry]:
    """The object's history, newest first, with what changed at each step, as stored and as
    a person reads it (three queries, and one per kind of object referred to)."""
    versions = list(
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk")
    )
    model = type(obj)
    all_fields = [
        {name: _typed(model, name, value) for name, value in _fields_of(version).items()}
        for version in versions
    ]
    names = _related_names(model, all_fields)
    entries: list[HistoryEntry] = []
    previous: dict[str, Any] = {}
    for version, current in zip(versions, all_fields, strict=True):
        changes = [
            FieldChange(
                name,
                _label(model, name),
                previous.get(name),
                value,
                _shown(model, name, previous.get(name), names),
                _shown(model, name, value, names),
            )
            for name, value in current.items()
            if name not in IGNORED_FIELDS and previous.get(name) != value
        ]
        user = version.revision.user
        entries.append(
            HistoryEntry(
                version_id=version.pk,
                date=version.revision.date_created,
                actor=str(user) if user else "",
                comment=version.revision.get_comment(),
                changes=changes,
            )
        )
        previous = current
    entries.reverse()
    return entries


def delete_recorded(
    *,
    actor: AbstractBaseUser | None,
    comment: str,
    obj: models.Model,
    cascaded: Iterable[models.Model] = (),
) -> None:
    """Delete `obj` reversibly: first record its last state, and that of what the deletion
    cascades to, as one revision; `restore_deleted` brings them all back from it.

    django-reversion only keeps versions of rows that still exist when the revision closes,
    so the snapshot is closed before the delete, inside the same transaction.
    """
    with transaction.atomic():
        with recorded_change(actor=actor, comment=comment):
            reversion.add_to_revision(obj)
            for related in cascaded:
                reversion.add_to_revision(related)
        obj.delete()


@dataclass(frozen=True)
class DeletedItem:
    """A deleted object as its last version, with what kind of thing it was (for the pages
    listing what a cooperation's coordinators may restore)."""

    kind: str
    version: Version

    @property
    def title(self) -> str:
        return self.version.object_repr


def deleted_versions(model: type[models.Model]) -> models.QuerySet[Version]:
    """The last version of each deleted object of a model, newest deletion first."""
    return Version.objects.get_deleted(model).select_related("revision__user")


def restore_deleted(*, actor: AbstractBaseUser, version: Version, comment: str) -> models.Model:
    """Bring a deleted object back as it was last recorded, as a new recorded change."""
    with recorded_change(actor=actor, comment=comment):
        # The deletion's revision also holds what was deleted with the object.
        version.revision.revert(delete=False)
        restored = version._model._default_manager.get(pk=version.object_id)
        reversion.add_to_revision(restored)
    return restored
