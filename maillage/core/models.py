from typing import cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
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
        self.refresh_search_name()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def searchable_text(self) -> str:
        raise NotImplementedError

    def refresh_search_name(self) -> None:
        """What `save` does, for the bulk writes that skip it (importers)."""
        self.search_name = fold(self.searchable_text())[:255]


class VisibilityField(models.CharField):
    """The visibility of an object (public, partners, restricted); defaults to partners, the
    cautious choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("choices", Visibility.choices)
        kwargs.setdefault("default", Visibility.PARTNERS)
        kwargs.setdefault("verbose_name", _("visibilité"))
        super().__init__(*args, **kwargs)


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life (core.worker): `/api/v1/health` and the reports page
    say when none has been seen lately, and the tasks of a worker gone silent are failed
    instead of staying "running" forever."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("processus de tâches")
        verbose_name_plural = _("processus de tâches")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.worker_id[:8]})"


class SearchEntry(models.Model):
    """One object as the search finds it (core.search): its title and text, its cooperation
    (a facet) and its date. The words are indexed by the database beside the table: on
    PostgreSQL a generated `vector` column with a GIN index, on SQLite the FTS5 table
    `core_searchentry_fts` kept by triggers (both made by migration 0002, not by the model:
    a later migration that rebuilds this table on SQLite must make the triggers again)."""

    source = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    cooperation_id = models.BigIntegerField(null=True, db_index=True)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    date = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="search_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {self.title}"


def unreachable_message(cooperation_visibility: str) -> str:
    """Why a visibility wider than its cooperation's is refused (forms say it beforehand)."""
    return str(
        _(
            "Rien de ce que contient la coopération ne peut être plus largement visible "
            "qu’elle (elle est visible : « %(visibility)s ») : nul autre ne pourrait l’ouvrir. "
            "Rendez d’abord la coopération plus visible, ou choisissez une visibilité plus "
            "restreinte."
        )
        % {"visibility": Visibility(cooperation_visibility).label}
    )


def require_within(visibility: str, container_visibility: str, message: str) -> None:
    """Refuse a visibility wider than the one of what contains the object: it is read through
    its container, so nobody the container hides could reach it."""
    if Visibility.narrowest(visibility, container_visibility) != visibility:
        raise ValidationError({"visibility": message})


def require_reachable_or_public(obj: models.Model, message: str | Promise) -> None:
    """For the models whose objects belong to a cooperation or, without one, to the platform
    (resources, forum spaces): a cooperation's are `require_reachable`; the
    platform's are public (`message` says how to keep one for members)."""
    if getattr(obj, "cooperation_id", None) is None:
        if obj.visibility != Visibility.PUBLIC:  # type: ignore[attr-defined]
            raise ValidationError({"visibility": message})
    else:
        require_reachable(obj)


def require_reachable(obj: models.Model) -> None:
    """`require_within` the object's cooperation (a "public" meeting of a partners-only
    cooperation would be public in name and a 404 to every visitor). For the `clean` of the
    models that have a cooperation and a visibility.

    A new object left at the default visibility (no choice made) takes its cooperation's when
    that one is narrower: created in a restricted cooperation, it is restricted."""
    cooperation_id = getattr(obj, "cooperation_id", None)
    if cooperation_id is None:
        return
    cooperation_visibility = obj.cooperation.visibility  # type: ignore[attr-defined]
    visibility = obj.visibility  # type: ignore[attr-defined]
    default = cast(models.Field, obj._meta.get_field("visibility")).default
    if obj._state.adding and visibility == default:
        visibility = Visibility.narrowest(visibility, cooperation_visibility)
        obj.visibility = visibility  # type: ignore[attr-defined]
    require_within(visibility, cooperation_visibility, unreachable_message(cooperation_visibility))
