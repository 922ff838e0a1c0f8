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
