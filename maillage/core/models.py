from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.enums import Visibility


class TimeStampedModel(models.Model):
    """Base of every Maillage model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class VisibilityField(models.CharField):
    """The visibility of an object (DESIGN §5); defaults to partners, the cautious choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("choices", Visibility.choices)
        kwargs.setdefault("default", Visibility.PARTNERS)
        kwargs.setdefault("verbose_name", _("visibilité"))
        super().__init__(*args, **kwargs)
