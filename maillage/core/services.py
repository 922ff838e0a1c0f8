"""The one way a service applies a set of field changes to an object (every app's `*_update`
calls it), so that each update has the same guarantees: only the fields the service allows,
nothing recorded when nothing changed, only the changed columns written."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from maillage.core.exceptions import Conflict
from maillage.core.history import recorded_change


def _comparable(obj: Model, name: str, value: Any) -> Any:
    """The value as the model would hold it once saved ("500000" and Decimal("500000.00") are
    the same amount), so that an unchanged value is not taken for a change."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if not isinstance(field, Field) or field.is_relation or value is None:
        return value
    try:
        return field.to_python(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error


def _to_the_millisecond(moment: dt.datetime) -> dt.datetime:
    # JSON writes times to the millisecond (Django's encoder): compare at that precision.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def require_unchanged_since(obj: Model, read_at: dt.datetime) -> None:
    """Refuse an edit made on a copy read before someone else's change (the row is locked until
    the caller's transaction ends, so that two editors cannot both pass)."""
    with transaction.atomic():
        current = (
            type(obj)
            ._default_manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
    if current is not None and _to_the_millisecond(current) != _to_the_millisecond(read_at):
        raise Conflict(
            _(
                "Quelqu’un d’autre a modifié cet élément depuis que vous l’avez ouvert : "
                "rechargez-le, vos changements n’ont pas été enregistrés."
            )
        )


def apply_changes(
    *,
    actor,
    obj: Model,
    changes: dict[str, Any],
    allowed: Iterable[str],
    comment: str,
    read_at: dt.datetime | None = None,
) -> list[str]:
    """Set the fields of `changes` that differ, validate the object and save those columns only
    (two people editing different fields of one object do not undo each other), as one recorded
    change. Returns the names of the fields that changed; none changed: nothing is written.

    A name outside `allowed` is a programming error (the transports offer only allowed fields),
    not a user's: it raises ValueError. `read_at`, the `updated_at` the editor read: when the
    object changed since, the edit was made on a stale copy and is refused (Conflict)."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if read_at is not None:
        require_unchanged_since(obj, read_at)
    changed = []
    for name, value in changes.items():
        value = _comparable(obj, name, value)
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    if not changed:
        return []
    fields = obj._meta.concrete_fields
    cleaned = {field.attname: getattr(obj, field.attname) for field in fields}
    obj.full_clean()
    # What the model's clean() deduced from the change (an end date from a duration) is saved too.
    deduced = [f.name for f in fields if getattr(obj, f.attname) != cleaned[f.attname]]
    columns = list(dict.fromkeys([*changed, *deduced]))
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        columns.append("updated_at")
    with recorded_change(actor=actor, comment=comment):
        obj.save(update_fields=columns)
    return changed
