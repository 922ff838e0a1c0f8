from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idée")
    STUDY = "study", _("À l’étude")
    READY = "ready", _("Programmé")
    ENGAGED = "engaged", _("Engagé")
    COMPLETED = "completed", _("Achevé")
    PAUSED = "paused", _("En pause")
    ABANDONED = "abandoned", _("Abandonné")


def counted_status(status: str, count: int) -> str:
    """The words after a number of projects in a status: "1 engagé", "91 engagés"."""
    words = {
        ProjectStatus.IDEA: ngettext("idée", "idées", count),
        ProjectStatus.STUDY: ngettext("à l’étude", "à l’étude", count),
        ProjectStatus.READY: ngettext("programmé", "programmés", count),
        ProjectStatus.ENGAGED: ngettext("engagé", "engagés", count),
        ProjectStatus.COMPLETED: ngettext("achevé", "achevés", count),
        ProjectStatus.PAUSED: ngettext("en pause", "en pause", count),
        ProjectStatus.ABANDONED: ngettext("abandonné", "abandonnés", count),
    }
    return words[ProjectStatus(status)]


# The shared statuses of French territorial project platforms, for exports and the API.
SHARED_STATUS = {
    ProjectStatus.IDEA: "IDEE",
    ProjectStatus.STUDY: "FAISABILITE",
    ProjectStatus.READY: "FAISABILITE",
    ProjectStatus.ENGAGED: "EN_COURS",
    ProjectStatus.COMPLETED: "TERMINE",
    ProjectStatus.PAUSED: "EN_COURS",
    ProjectStatus.ABANDONED: "ABANDONNE",
}
CLOSED_STATUSES = (ProjectStatus.COMPLETED, ProjectStatus.ABANDONED)


class Currency(models.TextChoices):
    EUR = "EUR", _("euro (€)")
    CHF = "CHF", _("franc suisse (CHF)")


class FinancingStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    REQUESTED = "requested", _("Demandé")
    GRANTED = "granted", _("Accordé")
    PAID = "paid", _("Versé")


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("Réalisation")
    RESULT = "result", _("Résultat")


class JournalKind(models.TextChoices):
    STATUS = "status", _("Changement de statut")
    NOTE = "note", _("Note d’avancement")
    DECISION = "decision", _("Décision")
