"""The notifications' e-mails, sent by the task worker once the write that made them commits."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import task

from maillage.notifications.enums import Frequency
from maillage.notifications.models import Notification
from maillage.notifications.services import email_body


@task()
def send_notifications(*, ids: list[int]) -> int:
    """E-mail the notifications their recipients want at once (not yet sent); how many."""
    due = list(
        Notification.objects.filter(
            pk__in=ids, email=Frequency.IMMEDIATELY, emailed_at__isnull=True
        ).select_related("user")
    )
    site = settings.SITE_URL.rstrip("/")
    messages = [
        EmailMessage(
            subject=notification.title,
            body=email_body(notification.text, site + notification.url),
            to=[notification.user.email],
        )
        for notification in due
    ]
    sent = get_connection().send_messages(messages) or 0
    Notification.objects.filter(pk__in=[n.pk for n in due]).update(emailed_at=timezone.now())
    return sent
