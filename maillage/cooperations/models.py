import reversion
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.accounts.enums import Role
from maillage.cooperations.enums import CooperationKind
from maillage.core.enums import Visibility
from maillage.core.models import TimeStampedModel, VisibilityField


class CooperationQuerySet(models.QuerySet["Cooperation"]):
    def visible_to(self, user) -> "CooperationQuerySet":
        """Public ones for all; partners-only ones for members; restricted for coordinators."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        public = Q(visibility=Visibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        member = Q(visibility=Visibility.PARTNERS, memberships__user=user)
        coordinator = Q(
            visibility=Visibility.RESTRICTED,
            memberships__user=user,
            memberships__role=Role.COORDINATOR,
        )
        ids = self.filter(member | coordinator).values("pk")
        return self.filter(public | Q(pk__in=ids))


@reversion.register()
class Cooperation(TimeStampedModel):
    """A cooperation between territories. This is the foundation's core of it; the
    Cooperations capability adds its stage, period, parties, milestones and strategy."""

    title = models.CharField(_("intitulé"), max_length=255)
    short_name = models.CharField(_("nom court"), max_length=80, blank=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=80, unique=True)
    kind = models.CharField(_("nature"), max_length=32, choices=CooperationKind.choices)
    summary = models.TextField(_("résumé"), blank=True)
    visibility = VisibilityField()

    objects = CooperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("coopération")
        verbose_name_plural = _("coopérations")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.short_name or self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperations:detail", kwargs={"slug": self.slug})
