from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may read an object, on top of platform staff who read everything."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partenaires de la coopération")
    RESTRICTED = "restricted", _("Restreint")

    @classmethod
    def widest(cls, *visibilities: str) -> str:
        """The visibility that lets the most people in (public > partners > restricted)."""
        order = list(cls.values)
        return min(visibilities, key=order.index)

    @classmethod
    def narrowest(cls, *visibilities: str) -> str:
        """The visibility of something made of all these parts: the most restricted."""
        order = list(cls.values)
        return max(visibilities, key=order.index)


class Role(models.TextChoices):
    """A person's role in one cooperation (docs/architecture.md, "Roles, visibility and
    permissions"); it lives here because the visibility rule of core.permissions reads it."""

    COORDINATOR = "coordinator", _("Coordination")
    BODY_MEMBER = "body_member", _("Membre d’une instance")
    PROJECT_CONTACT = "project_contact", _("Référent de projet")
    FUNDER = "funder", _("Financeur")
    OBSERVER = "observer", _("Observateur")


class TaskStatus(models.TextChoices):
    """Where a piece of background work stands (a report, an import)."""

    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")
