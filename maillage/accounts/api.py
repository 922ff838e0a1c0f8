from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from maillage.accounts import selectors, services
from maillage.accounts.models import ApiToken, User
from maillage.core.api import ERROR_RESPONSES

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class UserAuth(HttpBearer):
    """`Authorization: Bearer <token>` for programs, the session cookie for the browser.

    A token, when given, must be valid (401 otherwise), even if a session exists too; it
    acts exactly as its user. A session writes only with a valid CSRF token. With
    `anonymous=True` a request with neither goes through as the anonymous user.
    """

    def __init__(self, *, anonymous: bool = False):
        super().__init__()
        self.anonymous = anonymous

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, raw = header.partition(" ")
            user = selectors.user_for_api_token(raw.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise AuthenticationError
            request.user = user
            return user
        if request.user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                return None
            return request.user
        return request.user if self.anonymous else None

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - see __call__
        return selectors.user_for_api_token(token)


def accepts_api_token(view: Callable) -> Callable:
    """For the files the API announces (documents, reports, calendars): the bearer token that
    obtained their address fetches them, as its user and with the same permissions as the
    page; an invalid token is a 401, never a fall back to the session."""

    @wraps(view)
    def with_token(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, raw = header.partition(" ")
            user = selectors.user_for_api_token(raw.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
            request.user = user
        return view(request, *args, **kwargs)

    return with_token


def authenticated_user(request: HttpRequest) -> User:
    """The user `user_auth` accepted for this request (not for `optional_user_auth`)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user


user_auth = UserAuth()
optional_user_auth = UserAuth(anonymous=True)

router = Router(tags=["comptes"])


class MembershipOut(Schema):
    cooperation_id: int
    cooperation_slug: str
    cooperation_title: str
    role: str
    role_label: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    is_staff: bool
    memberships: list[MembershipOut]


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: str


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="Mon compte et mes rôles")
def me(request: HttpRequest):
    user = authenticated_user(request)
    memberships = [
        {
            "cooperation_id": m.cooperation_id,
            "cooperation_slug": m.cooperation.slug,
            "cooperation_title": m.cooperation.title,
            "role": m.role,
            "role_label": m.get_role_display(),
        }
        for m in selectors.memberships_of(user)
    ]
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_staff": user.is_staff,
        "memberships": memberships,
    }


@router.get(
    "/tokens", response={200: list[TokenOut], **ERROR_RESPONSES}, summary="Mes jetons d’API"
)
@paginate
def token_list(request: HttpRequest):
    return selectors.api_tokens_of(authenticated_user(request))


@router.post(
    "/tokens", response={201: TokenCreatedOut, **ERROR_RESPONSES}, summary="Créer un jeton"
)
def token_create(request: HttpRequest, payload: TokenIn):
    user = authenticated_user(request)
    token, raw = services.api_token_create(actor=user, user=user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **ERROR_RESPONSES},
    summary="Révoquer un jeton",
)
def token_revoke(request: HttpRequest, token_id: int):
    user = authenticated_user(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    return services.api_token_revoke(actor=user, token=token)
