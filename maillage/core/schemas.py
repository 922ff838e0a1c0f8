"""API schemas generated from the models: one field list per entity.

An entity's API input is a django-ninja `ModelSchema` whose `Meta.fields` is its service's list
of editable fields (`services.STEP_FIELDS`…), so that the model, the form, the service and the
API share one list; its patch is the same list with `fields_optional = "__all__"`. Decorated
with `model_typed`, each field takes the model's rules where ninja is looser:
- a field with choices takes the values of the TextChoices enum it was declared with (an unknown
  value is a 400 naming the field, and the OpenAPI document lists the values);
- null is accepted only where the model stores it (ninja accepts it for every `blank` field,
  which the database then refuses);
- a creation's optional text is "" when left out, a patch's fields are left unchanged;
- a reference is `<name>_id` (the id), in the payload's data as on the wire.
"""

import datetime as dt
from typing import Any, Literal, TypeVar, get_args

from django.db import models
from ninja import Field, ModelSchema, Schema
from pydantic_core import PydanticUndefined

S = TypeVar("S", bound=ModelSchema)


def model_typed(schema: type[S]) -> type[S]:
    meta: Any = getattr(schema, "Meta")  # noqa: B009 - ninja's, unknown to the type checker
    patch = getattr(meta, "fields_optional", None) == "__all__"
    for field in meta.model._meta.concrete_fields:
        info = schema.model_fields.get(field.name)
        if info is None or info.title is None:  # absent, or declared by hand (ninja titles its own)
            continue
        if field.choices:
            values = [value for value, _label in field.choices]
            if field.blank and "" not in values and not field.null:
                values.append("")  # a blank choice field stores ""
            kind: Any = Literal[tuple(values)]
        else:
            kind = next((arg for arg in get_args(info.annotation) if arg is not type(None)), None)
            kind = kind or info.annotation
        info.annotation = kind | None if field.null else kind
        if patch:
            info.default = None  # left out: unchanged
        elif field.has_default() and callable(field.default):
            info.default, info.default_factory = PydanticUndefined, field.default  # at each call
        elif field.has_default():
            info.default = field.default
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            info.default = ""
        elif field.null:
            info.default = None
        else:
            info.default = PydanticUndefined
    # A reference is named as the API names it, `<name>_id`, in and out (ninja names it
    # `<name>_id` on the wire but `<name>` in the data, so an output lost its `_id`).
    fields = schema.__pydantic_fields__
    references = {
        field.name: field.attname
        for field in meta.model._meta.concrete_fields
        if field.is_relation and field.name in fields and fields[field.name].title is not None
    }
    renamed = {references.get(name, name): info for name, info in fields.items()}
    for name in references.values():
        renamed[name].alias = renamed[name].validation_alias = None
        renamed[name].serialization_alias = None
    fields.clear()
    fields.update(renamed)
    # Subclasses (a detail extending a list's output) collect their fields from these.
    schema.__annotations__ = {name: info.annotation for name, info in renamed.items()}
    schema.model_rebuild(force=True)
    return schema


class StaleCheck(Schema):
    """The `updated_at` a client read with the object, sent back with its patch: when the
    object changed since, 409 and nothing is saved (without it, the patch applies anyway)."""

    updated_at: dt.datetime | None = Field(
        default=None,
        description="Le `updated_at` lu avec l’objet : s’il a changé depuis, 409 et rien "
        "n’est enregistré (sans lui, la modification s’applique quoi qu’il en soit)",
    )


def with_read_at(data: dict) -> dict:
    """A patch's data for its service: the `updated_at` the client read becomes `read_at`."""
    data["read_at"] = data.pop("updated_at", None)
    return data
