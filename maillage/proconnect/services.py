"""Signing in with ProConnect: the account an agent's identity leads to — the one it signed in
with before, or the account of its verified address, or a new one — and what the provider
says of the agent (names, organisation by SIRET), kept on it."""

from collections.abc import Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.services import user_create
from maillage.directory.selectors import organisation_by_siret
from maillage.proconnect.models import AgentIdentity


class UnverifiedAccount(Exception):
    """An account holds the agent's address without having confirmed it: linking it would hand
    it to whoever registered the address first."""


def account_for(claims: Mapping[str, Any]) -> User | None:
    """The account these claims sign in to: the one linked to the same ProConnect subject, else
    the account whose address is the agent's — only once that address is verified. None: a
    new account is to be made."""
    linked = User.objects.filter(agent_identity__sub=claims["sub"]).first()
    if linked is not None:
        return linked
    email = claims["email"].strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return None
    if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        raise UnverifiedAccount(email)
    return user


def agent_account_create(claims: Mapping[str, Any]) -> User:
    """A new account for an agent the provider vouches for (its address is verified)."""
    with transaction.atomic():
        user = user_create(
            actor=None,
            email=claims["email"],
            password=None,
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("usual_name", "")[:150],
            email_verified=True,
        )
        agent_signed_in(user, claims)
    return user


def agent_signed_in(user: User, claims: Mapping[str, Any]) -> AgentIdentity:
    """Keep what the provider said at this sign-in: its subject, the organisation by SIRET;
    the account's names when it had none."""
    siret = "".join(ch for ch in str(claims.get("siret", "")) if ch.isdigit())[:14]
    with transaction.atomic():
        identity, _created = AgentIdentity.objects.update_or_create(
            user=user,
            defaults={
                "sub": claims["sub"],
                "uid": str(claims.get("uid", ""))[:255],
                "idp_id": str(claims.get("idp_id", ""))[:255],
                "siret": siret,
                "organisation": organisation_by_siret(siret),
                "signed_in_at": timezone.now(),
            },
        )
        names = {
            "first_name": claims.get("given_name", "")[:150],
            "last_name": claims.get("usual_name", "")[:150],
        }
        missing = {
            field: value for field, value in names.items() if value and not getattr(user, field)
        }
        if missing:
            User.objects.filter(pk=user.pk).update(**missing)
            for field, value in missing.items():
                setattr(user, field, value)
    return identity
