"""Every write of the notifications: making them (for the apps that have something to tell),
reading them, and each user's choice of when they are e-mailed.

The e-mails themselves are the task worker's (`tasks.py`): immediately after the write commits,
or in the daily digest (`send_notification_digest`)."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.core.tasks import send_email_later
from maillage.notifications.enums import Frequency, NotificationKind
from maillage.notifications.models import Notification, Preference

DEFAULT_FREQUENCY = Frequency.IMMEDIATELY


def unread_key(user_id: int) -> str:
    """Names a user's unread count in the cache (`selectors.unread_count`)."""
    return f"notifications:unread:{user_id}"


def _unread_changed(user_ids: Iterable[int]) -> None:
    """The header's count of these users is stale once the transaction commits."""
    keys = [unread_key(pk) for pk in user_ids]
    transaction.on_commit(lambda: cache.delete_many(keys))


def notify(
    *,
    recipients: Iterable[User],
    kind: NotificationKind,
    title: str,
    text: str = "",
    url: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """One notification per active recipient (never the actor: one is not told of one's own
    act), e-mailed as each one's preference for `kind` says — two queries, whatever their number.
    `url` is a path of the site."""
    users = {
        user.pk: user
        for user in recipients
        if user is not None and user.is_active and (actor is None or user.pk != actor.pk)
    }
    if not users:
        return []
    chosen = dict(
        Preference.objects.filter(user__in=list(users), kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    notifications = Notification.objects.bulk_create(
        Notification(
            user_id=pk,
            kind=kind,
            title=title[:300],
            text=text,
            url=url,
            email=chosen.get(pk, DEFAULT_FREQUENCY),
        )
        for pk in users
    )
    _unread_changed(users)
    immediate = [n.pk for n in notifications if n.email == Frequency.IMMEDIATELY]
    if immediate:
        from maillage.notifications.tasks import send_notifications

        transaction.on_commit(lambda: send_notifications.enqueue(ids=immediate))
    return notifications


def notify_addresses(
    *,
    emails: Iterable[str],
    kind: NotificationKind,
    title: str,
    text: str,
    url: str,
    actor: User | None = None,
    site_url: str = "",
) -> int:
    """Tell e-mail addresses: the ones of an account get a notification (and the e-mail their
    preference asks for); the others the e-mail, once the transaction commits. How many were
    told."""
    addresses = {email.strip().lower() for email in emails if email and email.strip()}
    users = list(User.objects.filter(email__in=addresses, is_active=True))
    notify(recipients=users, kind=kind, title=title, text=text, url=url, actor=actor)
    link = (site_url or settings.SITE_URL).rstrip("/") + url
    for email in sorted(addresses - {user.email.lower() for user in users}):
        send_email_later(subject=title, body=email_body(text, link), to=[email])
    return len(addresses)


def email_body(text: str, link: str) -> str:
    return f"{text}\n\n{link}\n" if text else f"{link}\n"


def mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise ValueError("Not this user's notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        _unread_changed([user.pk])
    return notification


def mark_all_read(*, user: User) -> int:
    """Every unread notification of the user, read now; how many."""
    now = timezone.now()
    _unread_changed([user.pk])
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


def preferences_set(*, user: User, frequencies: Mapping[str, str]) -> dict[str, str]:
    """When each kind is e-mailed to the user (the kinds not named keep their choice); an unknown
    kind or frequency is refused, and nothing is written."""
    errors = {
        kind: _("Type de notification inconnu.")
        for kind in frequencies
        if kind not in NotificationKind.values
    }
    errors |= {
        kind: _("Choix inconnu : %(value)s.") % {"value": value}
        for kind, value in frequencies.items()
        if kind not in errors and value not in Frequency.values
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for kind, frequency in frequencies.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"frequency": frequency}
            )
    from maillage.notifications.selectors import frequencies_of

    return frequencies_of(user)


def send_digests() -> int:
    """One e-mail per user with the notifications of the kinds they want in a daily digest, not
    yet sent (`send_notification_digest`, once a day); how many e-mails."""
    pending = list(
        Notification.objects.filter(email=Frequency.DAILY, emailed_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    site = settings.SITE_URL.rstrip("/")
    with transaction.atomic():
        for items in by_user.values():
            lines = [
                f"- {item.title}\n  {site}{item.url}" if item.url else f"- {item.title}"
                for item in items
            ]
            send_email_later(
                subject=_("Maillage : vos notifications du jour (%(count)s)")
                % {"count": len(items)},
                body="\n".join(lines) + "\n\n" + site + "/notifications/\n",
                to=[items[0].user.email],
            )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
    return len(by_user)
