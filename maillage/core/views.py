from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maillage.core.history import history_for


def history_page(request: HttpRequest, obj: models.Model, *, allowed: bool) -> HttpResponse:
    """The change history of any object, for those its app's permissions allow."""
    if not allowed:
        raise PermissionDenied
    return render(request, "core/history.html", {"object": obj, "entries": history_for(obj)})


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def choice_param(request: HttpRequest, name: str, choices: type[models.TextChoices]) -> str:
    """A filter value from the query string, or "" when it is not one of the choices."""
    value = request.GET.get(name, "")
    return value if value in choices.values else ""
