"""The notifications' reads: a user's, the unread count of the header, the preferences."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from maillage.notifications.enums import Frequency, NotificationKind
from maillage.notifications.models import Notification, Preference
from maillage.notifications.services import DEFAULT_FREQUENCY, unread_key


def notifications_of(user, *, unread: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user=user)
    return notifications.filter(read_at__isnull=True) if unread else notifications


def unread_count(user) -> int:
    """The header's count, on every page of a signed-in user: from the shared cache (with
    the figures', core.figures) until the services make or read one of theirs."""
    if user is None or not user.is_authenticated:
        return 0
    if not settings.FIGURES_CACHE_SECONDS:
        return notifications_of(user, unread=True).count()
    count = cache.get(unread_key(user.pk))
    if count is None:
        count = notifications_of(user, unread=True).count()
        cache.set(unread_key(user.pk), count, settings.FIGURES_CACHE_SECONDS)
    return count


def frequencies_of(user) -> dict[str, str]:
    """Every kind and when the user wants it e-mailed (the default where nothing was chosen)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY) for kind in NotificationKind.values}


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    frequency: str

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)


def preference_rows(user) -> list[PreferenceRow]:
    return [
        PreferenceRow(kind, str(NotificationKind(kind).label), frequency)
        for kind, frequency in frequencies_of(user).items()
    ]
