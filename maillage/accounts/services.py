from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import ApiToken, Membership, User, hash_token, new_raw_token
from maillage.accounts.selectors import forget_roles
from maillage.core.enums import Role
from maillage.core.history import recorded_change

MAX_ACTIVE_TOKENS = 20


def user_create(
    *,
    actor: User | None,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    email_verified: bool = False,
) -> User:
    """Create an account. A user created by staff or the demo has a verified address."""
    email = User.objects.normalize_email(email).lower()
    user = User(email=email, first_name=first_name, last_name=last_name, is_staff=is_staff)
    user.full_clean(exclude=["password"])
    if password is not None:
        validate_password(password, user)
    with recorded_change(actor=actor, comment=_("Création du compte %(email)s") % {"email": email}):
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    return user


def membership_set(*, actor: User | None, cooperation, user: User, role: Role) -> Membership:
    """Give a person a role in a cooperation, or change the role they have."""
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    with recorded_change(
        actor=actor,
        comment=_("%(user)s : rôle « %(role)s » dans %(cooperation)s")
        % {"user": user, "role": Role(role).label, "cooperation": cooperation},
    ):
        membership, _created = Membership.objects.update_or_create(
            user=user, cooperation=cooperation, defaults={"role": role}
        )
    forget_roles(user)
    return membership


def membership_remove(*, actor: User | None, membership: Membership) -> None:
    with recorded_change(
        actor=actor,
        comment=_("%(user)s retiré(e) de %(cooperation)s")
        % {"user": membership.user, "cooperation": membership.cooperation},
    ):
        membership.delete()
    forget_roles(membership.user)


def api_token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its secret, which is never shown again."""
    if actor is not None and actor != user and not actor.is_staff:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": _("Donnez un nom au jeton (par exemple l’outil qui l’utilise).")}
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {
                "name": _("Vous avez déjà %(n)s jetons actifs : révoquez-en un d’abord.")
                % {"n": MAX_ACTIVE_TOKENS}
            }
        )
    raw = new_raw_token()
    token = ApiToken(user=user, name=name, key_hash=hash_token(raw), key_prefix=raw[:10])
    token.full_clean()
    with recorded_change(
        actor=actor, comment=_("Création du jeton d’API « %(name)s »") % {"name": name}
    ):
        token.save()
    return token, raw


def api_tokens_revoke_all(*, user: User) -> int:
    """A new password ends every token: whoever took the old one (the reason to change it) may
    have made tokens with it. Returns how many were revoked."""
    with recorded_change(actor=user, comment=_("Mot de passe changé : jetons d’API révoqués")):
        return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), updated_at=timezone.now()
        )


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if actor != token.user and not actor.is_staff:
        raise PermissionDenied
    if token.revoked_at is None:
        with recorded_change(
            actor=actor, comment=_("Révocation du jeton d’API « %(name)s »") % {"name": token.name}
        ):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
    return token
