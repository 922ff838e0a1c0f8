"""The platform's own middleware: text no database can store refused at the door, the content
security policy, oversized bodies refused from their declared length, and the visitors' page
cache.

Text no database can store is refused with a 400, whatever the page or endpoint: a NUL
character (PostgreSQL refuses it in text) or half of a UTF-16 surrogate pair (unencodable) in
a query string, a form or a JSON body used to end as a server error."""

import contextlib
import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from maillage.core.figures import generation, one_generation

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


# Everything the pages load is ours (no CDN): scripts from our own address only, never inline,
# so that an injected <script> does not run. Inline styles stay allowed (the design system's
# script and htmx set some). A response that sets its own policy (a stored picture) keeps it.
def _tile_origin() -> str:
    """The maps' optional background tiles come from their provider (OBSERVATORY_TILE_URL)."""
    url = urlsplit(settings.OBSERVATORY_TILE_URL.replace("{s}", "*"))
    return f" {url.scheme}://{url.netloc}" if url.scheme in ("http", "https") else ""


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:" + _tile_origin(),
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class RefuseOversizedBodies:
    """A body larger than any upload the platform takes (MAX_REQUEST_MEGABYTES) is refused from
    its declared length, before it is received: the file fields' own limits only speak once
    the whole file sits on the server's disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_MEGABYTES * 1024 * 1024:
            detail = _("Envoi trop volumineux : %(size)s Mo au plus.") % {
                "size": settings.MAX_REQUEST_MEGABYTES
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "errors": []}, status=413)
            return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class OneGenerationPerRequest:
    """The data's generation (core.figures) is read from the cache once per request, not once
    per cached figure, panel or fragment of the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with one_generation():
            return self.get_response(request)


class VisitorPageCache:
    """What a visitor without any cookie (no session, no CSRF token, no message) is sent is
    the same for every such visitor: a page or an API answer is kept in the shared cache for
    `VISITOR_PAGE_CACHE_SECONDS` and only while the data it shows is unchanged (the generation
    of core.figures moves at every committed write). Innermost middleware: the outer ones still
    add their headers to what the cache gives back. A response that hands the visitor a cookie
    (a form's CSRF token, a session) is never kept, nor an error, a redirect or a download."""

    CACHED_TYPES = ("text/html", "application/json")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        seconds = settings.VISITOR_PAGE_CACHE_SECONDS
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or request.COOKIES
            or "Authorization" in request.headers
        ):
            return self.get_response(request)
        key = self._key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._keepable(request, response):
            cache.set(key, response, seconds)
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str:
        parts = [
            generation(),
            get_language() or "",
            request.scheme or "",
            request.get_host(),
            request.headers.get("HX-Request", ""),
            request.get_full_path(),
        ]
        return "visitor-page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _keepable(self, request: HttpRequest, response: HttpResponse) -> bool:
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
            and response.get("Content-Type", "").split(";")[0] in self.CACHED_TYPES
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
