from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel
from maillage.notifications.enums import Frequency, NotificationKind


class Notification(TimeStampedModel):
    """Something that happened for one user: read in the notification centre, e-mailed as the
    user's preference for its kind said when it was made (`email`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("type"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("titre"), max_length=300)
    text = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    email = models.CharField(_("envoi par e-mail"), max_length=16, choices=Frequency.choices)
    emailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(TimeStampedModel):
    """When one user wants a kind of notification e-mailed; without one: immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("type"), max_length=16, choices=NotificationKind.choices)
    frequency = models.CharField(_("envoi par e-mail"), max_length=16, choices=Frequency.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}: {self.frequency}"
