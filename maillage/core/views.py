from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme

from maillage.core.exceptions import Conflict
from maillage.core.filters import ListFilters
from maillage.core.history import history_for

Filters = TypeVar("Filters", bound=ListFilters)


def history_page(request: HttpRequest, obj: models.Model, *, allowed: bool) -> HttpResponse:
    """The change history of any object, for those its app's permissions allow."""
    if not allowed:
        raise PermissionDenied
    return render(request, "core/history.html", {"object": obj, "entries": history_for(obj)})


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def list_filters(request: HttpRequest, filters_class: type[Filters]) -> Filters:
    """A list page's filters (core.filters): the valid ones, and a warning on the page for
    each value that is not one."""
    filters, problems = filters_class.from_page(request.GET)
    for problem in problems:
        messages.warning(request, problem)
    return filters


def form_page(
    request: HttpRequest,
    form,
    save: Callable[[dict[str, Any]], Any],
    *,
    cooperation: models.Model | None,
    title: str,
    back: str,
    success: str,
    template: str = "core/form.html",
    context: dict | None = None,
) -> HttpResponse:
    """Validate `form`, hand its data to `save` (a service call returning where to go next)
    and show the service's refusals on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except Conflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, success)
            return redirect(target)
    return render(
        request,
        template,
        {"form": form, "cooperation": cooperation, "title": title, "back": back, **(context or {})},
    )


def confirm_page(
    request: HttpRequest,
    *,
    cooperation: models.Model | None,
    title: str,
    explanation: str,
    action: Callable[[], Any],
    back: str,
    done: str,
    success: str,
) -> HttpResponse:
    """Ask before a destructive action; do it on POST."""
    if request.method == "POST":
        try:
            action()
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect(back)
        messages.success(request, success)
        return redirect(done)
    return render(
        request,
        "core/confirm.html",
        {"cooperation": cooperation, "title": title, "explanation": explanation, "back": back},
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form says to go back to (`next`), if it is an address of this site; else
    `default` (an attacker's link must not send people elsewhere after a real action)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def image_response(file) -> FileResponse:
    """A stored picture shown in a page: inline, its type never guessed by the browser, and
    sandboxed should it be anything but a picture."""
    if not file:
        raise Http404
    try:
        response = FileResponse(file.open("rb"))
    except FileNotFoundError as error:
        raise Http404 from error
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def file_download(file) -> HttpResponse | FileResponse:
    """A stored file as an attachment, once the caller has checked the permission; 404 when
    the record has none or the storage lost it. With `PROTECTED_FILES_PREFIX` set, the web
    server sends the bytes (nginx's X-Accel-Redirect to an `internal` location: see
    docs/deployment.md) and no Python worker is held by a big download."""
    if not file:
        raise Http404
    if settings.PROTECTED_FILES_PREFIX:
        if not file.storage.exists(file.name):
            raise Http404
        response = HttpResponse()
        response["X-Accel-Redirect"] = settings.PROTECTED_FILES_PREFIX + quote(file.name)
        response["Content-Type"] = ""  # the web server sets it from the file
        filename = file.name.rsplit("/", 1)[-1]
        response["Content-Disposition"] = content_disposition_header(True, filename) or ""
        return response
    try:
        return FileResponse(file.open("rb"), as_attachment=True)
    except FileNotFoundError as error:
        raise Http404 from error
