"""What every API endpoint shares: error bodies, pagination, and the health endpoint.

Errors always answer `{"detail": "…", "errors": [{"field": "…", "message": "…"}]}`:
400 for bad input (with one entry per field), 401, 403, 404 and 409.

Every list is paginated the same way, by django-ninja's `@paginate` (`limit`, `offset`;
`{"items", "count"}`); a list whose rows are completed in Python once the page is known
returns `CompletedPages`.
"""

from collections.abc import Callable, Iterable
from typing import Any, overload

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from maillage.core.exceptions import Conflict
from maillage.core.health import database_state, task_backend_state, worker_state
from maillage.core.throttle import throttled_message


class CompletedPages:
    """A queryset whose page, once `@paginate` has sliced it, is completed in Python: computed
    fields, figures read for those rows only. It is counted as the queryset is (one query),
    and only the page's rows are completed."""

    def __init__(self, queryset, complete: Callable[[Iterable[Any]], list[Any]]) -> None:
        self.queryset = queryset
        self.complete = complete

    def __getitem__(self, page: slice) -> list[Any]:
        return self.complete(self.queryset[page])

    def all(self) -> "CompletedPages":
        return self  # `@paginate` counts `.all().count()`

    def count(self) -> int:
        return self.queryset.count()


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}
# The writes a visitor may make (core.throttle) can also answer this.
THROTTLED_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 429: ErrorOut}


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors=()
) -> HttpResponse:
    body = {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]}
    return api.create_response(request, body, status=status)


@overload
def objects_by_ids(model: type[Model], ids: list[int], field: str, **scope) -> list: ...
@overload
def objects_by_ids(model: type[Model], ids: None, field: str, **scope) -> None: ...
@overload
def objects_by_ids(
    model: type[Model], ids: list[int] | None, field: str, **scope
) -> list | None: ...
def objects_by_ids(model: type[Model], ids: list[int] | None, field: str, **scope) -> list | None:
    """The objects a payload's list of ids names (None: the list was not sent); an unknown id
    (or one outside `scope`) is a 400 on `field`."""
    if ids is None:
        return None
    found = list(model._default_manager.filter(pk__in=ids, **scope))
    missing = set(ids) - {obj.pk for obj in found}
    if missing:
        raise DjangoValidationError(
            {
                field: _("Identifiants inconnus : %(ids)s.")
                % {"ids": ", ".join(map(str, sorted(missing)))}
            }
        )
    return found


def object_by_id(model: type[Model], pk: int | None, field: str, **scope):
    """The object a payload's id names (None stays None); unknown: a 400 on `field`."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, **scope).first()
    if found is None:
        raise DjangoValidationError(
            {field: _("Aucun élément n’a l’identifiant %(id)s.") % {"id": pk}}
        )
    return found


def reference_in(data: dict, name: str, model: type[Model], **scope) -> None:
    """Replace `<name>_id` in a payload's data, when there, by the object it names (the
    services take objects); an unknown id is a 400 on `<name>_id`."""
    if f"{name}_id" in data:
        data[name] = object_by_id(model, data.pop(f"{name}_id"), f"{name}_id", **scope)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError):
        errors = []
        for error in exc.errors:
            # ninja locates a field as ("body", "payload", "name"): the last parts name it.
            location = [
                str(part) for part in error.get("loc", ()) if part not in {"body", "query", "path"}
            ]
            errors.append((".".join(location[-1:]) or "__all__", str(error.get("msg", ""))))
        return _error(api, request, 400, _("Données invalides."), errors)

    @api.exception_handler(DjangoValidationError)
    def rejected_by_service(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [(f, m) for f, messages in exc.message_dict.items() for m in messages]
        else:
            errors = [("__all__", m) for m in exc.messages]
        return _error(api, request, 400, _("Données invalides."), errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(api, request, 401, _("Authentification requise."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _error(api, request, 403, _("Vous n’avez pas le droit de faire cela."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(api, request, 404, _("Introuvable."))

    @api.exception_handler(Conflict)
    def conflict(request, exc: Conflict):
        return _error(api, request, 409, str(exc))

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def value_out_of_range(request, exc: Exception):
        # A number too large for the database's integers (SQLite raises OverflowError,
        # PostgreSQL a DataError): bad input, not a server error.
        return _error(api, request, 400, _("Valeur hors des limites acceptées."))

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        response = _error(api, request, 429, throttled_message(exc))
        response["Retry-After"] = str(exc.wait or 60)
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(api, request, exc.status_code, str(exc))


router = Router(tags=["plateforme"])


class ComponentOut(Schema):
    ok: bool
    detail: str


class HealthOut(Schema):
    status: str
    database: ComponentOut
    tasks: ComponentOut
    worker: ComponentOut


@router.get(
    "/health", auth=None, response={200: HealthOut, 503: HealthOut}, summary="État du service"
)
def health(request: HttpRequest):
    """200 when the database answers, the task backend too and a worker beats; 503 otherwise
    (a load balancer or a monitor can act on it)."""
    database, tasks, worker = database_state(), task_backend_state(), worker_state()
    ok = database.ok and tasks.ok and worker.ok
    body = {
        "status": "ok" if ok else "error",
        "database": {"ok": database.ok, "detail": database.detail},
        "tasks": {"ok": tasks.ok, "detail": tasks.detail},
        "worker": {"ok": worker.ok, "detail": worker.detail},
    }
    return Status(200 if ok else 503, body)
