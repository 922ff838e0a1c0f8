from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.enums import Visibility
from maillage.core.text import fold


class TimeStampedModel(models.Model):
    """Base of every Maillage model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class SearchableModel(TimeStampedModel):
    """A model found by a folded form of its name (see core.text.fold), kept up to date on save."""

    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_name = fold(self.searchable_text())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def searchable_text(self) -> str:
        raise NotImplementedError


class VisibilityField(models.CharField):
    """The visibility of an object (public, partners, restricted); defaults to partners, the
    cautious choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("choices", Visibility.choices)
        kwargs.setdefault("default", Visibility.PARTNERS)
        kwargs.setdefault("verbose_name", _("visibilité"))
        super().__init__(*args, **kwargs)
