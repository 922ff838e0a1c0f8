from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may read an object, on top of platform staff who read everything."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partenaires de la coopération")
    RESTRICTED = "restricted", _("Restreint")
