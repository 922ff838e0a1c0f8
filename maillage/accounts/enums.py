from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A person's role in one cooperation (DESIGN §5)."""

    COORDINATOR = "coordinator", _("Coordination")
    BODY_MEMBER = "body_member", _("Membre d’une instance")
    PROJECT_CONTACT = "project_contact", _("Référent de projet")
    FUNDER = "funder", _("Financeur")
    OBSERVER = "observer", _("Observateur")


# Roles that read the cooperation's internal (partners-only) content.
INTERNAL_READERS = frozenset(Role)
