"""Text no database can store is refused at the door, with a 400, whatever the page or
endpoint: a NUL character (PostgreSQL refuses it in text) or half of a UTF-16 surrogate pair
(unencodable) in a query string, a form or a JSON body used to end as a server error."""

import contextlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

JSON_LIMIT = 2 * 1024 * 1024  # bigger JSON bodies are the API's own business (it caps them)


def unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value.keys(), *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _texts(request: HttpRequest) -> list[str]:
    texts = [request.path, *(v for values in request.GET.lists() for v in values[1])]
    texts += list(request.GET.keys())
    if request.method in ("POST", "PUT", "PATCH"):
        if request.content_type == "application/json" and len(request.body) <= JSON_LIMIT:
            with contextlib.suppress(ValueError):  # not JSON: the endpoint's parser says so
                texts += _strings(json.loads(request.body))
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            texts += [v for values in request.POST.lists() for v in values[1]]
    return texts


class RefuseUnstorableText:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(unstorable(text) for text in _texts(request)):
            detail = _("Caractère non autorisé dans la requête (caractère nul ou invalide).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "errors": []}, status=400)
            return bad_request(request, ValueError(detail))
        return self.get_response(request)
