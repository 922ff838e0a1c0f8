from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maillage.core.history import history_for


def history_page(request: HttpRequest, obj: models.Model, *, allowed: bool) -> HttpResponse:
    """The change history of any object, for those its app's permissions allow."""
    if not allowed:
        raise PermissionDenied
    return render(request, "core/history.html", {"object": obj, "entries": history_for(obj)})
