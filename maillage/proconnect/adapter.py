"""The account adapter when ProConnect may be on: signing out of an account that signed in
with ProConnect ends its ProConnect session too, as the federation asks."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.crypto import get_random_string

from maillage.accounts.adapter import AccountAdapter as BaseAccountAdapter


class AccountAdapter(BaseAccountAdapter):
    def get_logout_redirect_url(self, request) -> str:
        """Read before the session ends: with a ProConnect ID token in it, the provider's
        end-of-session address, which sends the agent back here."""
        local = resolve_url(super().get_logout_redirect_url(request))
        id_token = request.session.get("oidc_id_token")
        if not (settings.PROCONNECT_ENABLED and id_token):
            return local
        query = urlencode(
            {
                "id_token_hint": id_token,
                "state": get_random_string(32),
                "post_logout_redirect_uri": request.build_absolute_uri(local),
            }
        )
        return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
