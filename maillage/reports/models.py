from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.enums import TaskStatus
from maillage.core.models import TimeStampedModel


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF (à diffuser)")
    ODT = "odt", _("ODT (à retoucher dans un traitement de texte)")


class Report(TimeStampedModel):
    """A yearly progress report of a cooperation, generated in the background; the file (and
    its xlsx annexes) become documents of the cooperation."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation", on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    format = models.CharField(_("format"), max_length=3, choices=ReportFormat.choices)
    introduction = models.TextField(_("introduction"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    status = models.CharField(
        _("état"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    step = models.CharField(_("étape"), max_length=200, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    seconds = models.FloatField(_("durée (s)"), null=True, blank=True)
    document = models.ForeignKey(
        "cooperations.Document",
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    annexes = models.ManyToManyField(
        "cooperations.Document", verbose_name=_("annexes"), related_name="+", blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("rapport d’avancement")
        verbose_name_plural = _("rapports d’avancement")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.cooperation} — {self.year} ({self.format})"
