"""The admin writes through the services, like every other door.

`ServiceAdmin` hands a change form's changed fields to the app's update service and a deletion
to its delete service; the fields a service governs by a rule of its own (a project's status
and its journal, a member's role and the last coordinator, a cooperation's dated stage) are
read-only here and changed by admin actions that call those services. The services' refusals
reach the staff as admin messages, never as a half-written object.
"""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from reversion.admin import VersionAdmin

from maillage.core.exceptions import Conflict

REFUSALS = (ValidationError, PermissionDenied, Conflict)


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


class ServiceAdmin(VersionAdmin):
    # Fields only a service changes (the consistency test checks they are read-only here).
    governed_fields: ClassVar[tuple[str, ...]] = ()
    # (actor, obj, **changes) → the app's update service; None: editing is refused.
    update_service: ClassVar[Callable[..., Any] | None] = None
    # (actor, obj) → the app's delete service; None: deleting is refused.
    delete_service: ClassVar[Callable[..., Any] | None] = None

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *self.governed_fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return type(self).update_service is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return type(self).delete_service is not None and super().has_delete_permission(request, obj)

    def save_model(self, request, obj: models.Model, form, change: bool) -> None:
        update = type(self).update_service
        if not change or update is None:
            super().save_model(request, obj, form, change)
            return
        # The form has written its values on `obj`: the service compares with a fresh copy.
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        model_fields = {field.name for field in obj._meta.concrete_fields}
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in model_fields
        }
        update(request.user, fresh, **changes)

    def delete_model(self, request, obj: models.Model) -> None:
        self.call_service(request, [obj], type(self).delete_service)

    def delete_queryset(self, request, queryset) -> None:
        self.call_service(request, queryset, type(self).delete_service)

    def call_service(self, request, objects: Iterable[models.Model], service) -> int:
        """Run `service(actor, obj)` on each object; each refusal becomes an error message.
        Returns how many went through."""
        done = 0
        for obj in objects:
            try:
                service(request.user, obj)
            except REFUSALS as error:
                self.message_user(request, f"{obj} : {refusal_text(error)}", messages.ERROR)
            else:
                done += 1
        return done


def service_action(
    service: Callable[..., Any], description: str, name: str
) -> Callable[[admin.ModelAdmin, Any, Any], None]:
    """An admin action calling `service(actor, obj)` on each selected object."""

    def action(model_admin, request, queryset) -> None:
        done = model_admin.call_service(request, queryset, service)
        if done:
            model_admin.message_user(request, f"{description} : {done}", messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description)(action)


def choice_actions(
    choices: type[models.TextChoices], set_choice: Callable[[Any, Any, str], Any], description
) -> list:
    """One admin action per choice ("Passer au statut « Engagé »": `description` names it with
    %(choice)s), each calling `set_choice(actor, obj, value)`, the field's service."""

    def action_for(choice) -> Callable:
        return service_action(
            lambda actor, obj: set_choice(actor, obj, choice),
            description % {"choice": choice.label},
            f"to_{choice}",
        )

    return [action_for(choice) for choice in choices]
