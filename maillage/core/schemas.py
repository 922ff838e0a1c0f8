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

from typing import Any, Literal, TypeVar, get_args

from django.db import models
from ninja import ModelSchema
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
            kind: Any = Literal[tuple(value for value, _label in field.choices)]
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
    schema.model_rebuild(force=True)
    return schema
