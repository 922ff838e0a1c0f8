"""`/api/v1/notifications`: the notification centre and the e-mail preferences, as data."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user
from maillage.core.api import ERROR_RESPONSES
from maillage.notifications import selectors, services
from maillage.notifications.enums import Frequency, NotificationKind
from maillage.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    title: str
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: NotificationKind
    label: str
    frequency: Frequency


class PreferencesOut(Schema):
    preferences: list[PreferenceOut]


class PreferenceIn(Schema):
    kind: NotificationKind
    frequency: Frequency


class PreferencesIn(Schema):
    preferences: list[PreferenceIn] = Field(..., max_length=len(NotificationKind.values))


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **ERROR_RESPONSES},
    summary="Mes notifications",
)
@paginate
def notification_list(request: HttpRequest, unread: bool = False):
    """Les plus récentes d’abord ; `unread=true` : les non lues seulement."""
    return selectors.notifications_of(authenticated_user(request), unread=unread)


@router.get(
    "/notifications/unread",
    response={200: UnreadOut, **ERROR_RESPONSES},
    summary="Nombre de notifications non lues",
)
def notification_unread(request: HttpRequest):
    return {"unread": selectors.unread_count(authenticated_user(request))}


@router.post(
    "/notifications/read",
    response={200: ReadAllOut, **ERROR_RESPONSES},
    summary="Tout marquer comme lu",
)
def notification_read_all(request: HttpRequest):
    return {"marked": services.mark_all_read(user=authenticated_user(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERROR_RESPONSES},
    summary="Marquer une notification comme lue",
)
def notification_read(request: HttpRequest, notification_id: int):
    user = authenticated_user(request)
    notification = get_object_or_404(Notification, pk=notification_id, user=user)
    return services.mark_read(user=user, notification=notification)


def _preferences(user) -> dict:
    return {
        "preferences": [
            {"kind": row.kind, "label": row.label, "frequency": row.frequency}
            for row in selectors.preference_rows(user)
        ]
    }


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERROR_RESPONSES},
    summary="Mes préférences d’envoi par e-mail",
)
def preferences_get(request: HttpRequest):
    """Pour chaque type : `immediately`, `daily` (résumé quotidien) ou `never`."""
    return _preferences(authenticated_user(request))


@router.put(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERROR_RESPONSES},
    summary="Choisir quand les notifications sont envoyées par e-mail",
)
def preferences_put(request: HttpRequest, payload: PreferencesIn):
    """Les types absents gardent leur choix."""
    user = authenticated_user(request)
    services.preferences_set(
        user=user, frequencies={item.kind: item.frequency for item in payload.preferences}
    )
    return _preferences(user)
