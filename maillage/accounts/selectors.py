from django.db.models import QuerySet

from maillage.accounts.models import ApiToken, Membership, User, hash_token
from maillage.core.enums import Role
from maillage.core.figures import cached_figures

_ROLES_CACHE = "_maillage_roles"


def roles_by_cooperation(user) -> dict[int, Role]:
    """The user's role in each cooperation, read once per request and kept on the user; from
    the cache while the memberships are unchanged (core.figures)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = cached_figures(f"roles:{user.pk}", lambda: _roles(user), lambda _roles: None)
        setattr(user, _ROLES_CACHE, cached)
    return cached


def _roles(user) -> dict[int, Role]:
    return {
        cooperation_id: Role(role)
        for cooperation_id, role in Membership.objects.filter(user=user).values_list(
            "cooperation_id", "role"
        )
    }


def forget_roles(user) -> None:
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def role_in(user, cooperation_id: int) -> Role | None:
    return roles_by_cooperation(user).get(cooperation_id)


def memberships_of(user) -> QuerySet[Membership]:
    return (
        Membership.objects.for_user(user)
        .select_related("cooperation")
        .order_by("cooperation__title")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def user_for_api_token(raw: str) -> User | None:
    """The active user an API token belongs to, or None when it is unknown or revoked."""
    token = (
        ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None:
        return None
    token.touch()
    return token.user
