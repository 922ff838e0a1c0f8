import secrets

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel
from maillage.core.validators import MaxFileSize, validate_raster_image
from maillage.directory.models import LOGO_EXTENSIONS
from maillage.portal.enums import NewsStatus


def news_image_path(news: "News", filename: str) -> str:
    return f"portal/news/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class News(TimeStampedModel):
    """A dated article of a cooperation, or of the platform (no cooperation). A draft is read
    by those who may write it; once published, by whoever may read its cooperation (everybody
    for the platform's)."""

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        verbose_name=_("coopération"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news",
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(
        _("chapô"), max_length=400, help_text=_("Une ou deux phrases, reprises dans les listes.")
    )
    body = models.TextField(_("texte"), blank=True)
    image = models.FileField(
        _("image"),
        upload_to=news_image_path,
        blank=True,
        validators=[
            FileExtensionValidator(LOGO_EXTENSIONS),
            validate_raster_image,
            MaxFileSize(2),
        ],
        help_text=_("PNG, JPEG, WebP ou GIF, 2 Mo au plus."),
    )
    image_description = models.CharField(
        _("description de l’image"),
        max_length=200,
        blank=True,
        help_text=_("Ce que montre l’image, pour qui ne la voit pas."),
    )
    documents = models.ManyToManyField(
        "cooperations.Document",
        verbose_name=_("pièces jointes"),
        related_name="news",
        blank=True,
        help_text=_("Documents de la coopération joints à l’actualité."),
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=NewsStatus.choices, default=NewsStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:news", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.image and not self.image_description:
            raise ValidationError(
                {"image_description": _("Décrivez l’image pour qui ne la voit pas.")}
            )
