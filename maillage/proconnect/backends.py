"""The authentication backend of ProConnect, on mozilla-django-oidc: the code flow with `state`
and `nonce`, the ID token and the userinfo answer (a signed JWT) checked against the
provider's keys — and here their issuer and audience too."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from maillage.proconnect import services


class ProConnectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.PROCONNECT_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.PROCONNECT_ISSUER:
            raise SuspiciousOperation("ProConnect: unexpected issuer.")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ProConnect: the token is not for this client.")
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub") and claims.get("email"))

    def filter_users_by_claims(self, claims):
        try:
            user = services.account_for(claims)
        except services.UnverifiedAccount as refused:
            messages.error(
                self.request,
                _(
                    "Un compte existe déjà avec l’adresse %(email)s sans qu’elle ait été "
                    "confirmée : connectez-vous avec votre mot de passe et confirmez-la, puis "
                    "utilisez ProConnect."
                )
                % {"email": refused.args[0]},
            )
            raise SuspiciousOperation("ProConnect: unverified account.") from refused
        return [user] if user is not None else []

    def create_user(self, claims):
        return services.agent_account_create(claims)

    def update_user(self, user, claims):
        services.agent_signed_in(user, claims)
        return user
