"""A limit on what visitors (not signed in) may write, the same on pages and in the API.

Registering to a public meeting sends a confirmation e-mail to the address given: without a
limit, anyone could make the platform mail thousands of addresses. Each client address may do
ANONYMOUS_WRITE_RATE such writes ("10/h"); the client address is read as TRUSTED_PROXY_COUNT
says (settings), by django-ninja's throttle, counted in the shared cache.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.throttling import SimpleRateThrottle


class AnonymousWrites(SimpleRateThrottle):
    scope = "anonymous_writes"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated:
            return None  # members are accountable: not limited here
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled_message(error: Throttled) -> str:
    minutes = max(1, round((error.wait or 60) / 60))
    return _(
        "Trop de demandes depuis votre connexion : réessayez dans %(minutes)s min, ou "
        "connectez-vous."
    ) % {"minutes": minutes}


def check_anonymous_write(request: HttpRequest) -> None:
    """Raise ninja's Throttled (429, with the seconds to wait) past the visitors' limit."""
    throttle = AnonymousWrites(rate=settings.ANONYMOUS_WRITE_RATE)
    if not throttle.allow_request(request):
        raise Throttled(wait=int(throttle.wait() or 60))
