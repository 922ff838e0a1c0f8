"""ProConnect's two addresses (mozilla-django-oidc's views), answered only when it is on."""

import logging
from collections.abc import Callable

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

logger = logging.getLogger(__name__)


def _when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def answer(request: HttpRequest) -> HttpResponse:
        if not settings.PROCONNECT_ENABLED:
            raise Http404
        return view(request)

    return answer


sign_in = _when_enabled(OIDCAuthenticationRequestView.as_view())
_callback = OIDCAuthenticationCallbackView.as_view()


@_when_enabled
def callback(request: HttpRequest) -> HttpResponse:
    """An answer that fails a check (state, nonce, signature, issuer, audience), or a provider
    that refuses the code or does not answer, signs no one in: back to the sign-in page, with
    why in the log."""
    try:
        return _callback(request)
    except (SuspiciousOperation, requests.RequestException) as refused:
        logger.warning("ProConnect sign-in refused: %s", refused)
        messages.error(request, _("La connexion avec ProConnect a échoué : recommencez."))
        return redirect(settings.LOGIN_REDIRECT_URL_FAILURE)
