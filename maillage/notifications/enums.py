from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about; each user chooses, per kind, when it is e-mailed."""

    INVITATION = "invitation", _("Invitations à rejoindre une coopération")
    MEETING = "meeting", _("Convocations, réunions modifiées ou annulées")
    MINUTES = "minutes", _("Comptes rendus diffusés")
    DECISION = "decision", _("Décisions des instances")
    PROPOSAL = "proposal", _("Nouvelles pistes et commentaires")
    FORUM = "forum", _("Forum : réponses et mentions")
    APPLICATION = "application", _("Candidatures aux appels à projets")


class Frequency(models.TextChoices):
    """When a kind of notification is e-mailed (it is in the notification centre anyway)."""

    IMMEDIATELY = "immediately", _("Immédiatement")
    DAILY = "daily", _("Dans un résumé quotidien")
    NEVER = "never", _("Jamais")
