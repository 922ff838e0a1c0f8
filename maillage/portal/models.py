import secrets

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import DOCUMENT_EXTENSIONS, DOCUMENT_MAX_MEGABYTES
from maillage.core.models import TimeStampedModel, VisibilityField, require_reachable_or_public
from maillage.core.validators import MaxFileSize, validate_raster_image
from maillage.directory.models import LOGO_EXTENSIONS
from maillage.portal.enums import NewsStatus, ResourceKind


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


def resource_path(resource: "Resource", filename: str) -> str:
    return f"portal/resources/{secrets.token_hex(8)}/{filename}"


@reversion.register()
class Resource(TimeStampedModel):
    """A document or a link of the resource centre: of a cooperation (read like its other
    documents) or of an organisation such as a resource centre (then public)."""

    title = models.CharField(_("titre"), max_length=255)
    kind = models.CharField(_("type"), max_length=16, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("lien"), blank=True, max_length=500)
    file = models.FileField(
        _("fichier"),
        upload_to=resource_path,
        blank=True,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            MaxFileSize(DOCUMENT_MAX_MEGABYTES),
        ],
    )
    date = models.DateField(_("date"))
    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        verbose_name=_("coopération"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure autrice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    themes = models.CharField(
        _("thèmes"), max_length=255, blank=True, help_text=_("Mots séparés par des virgules.")
    )
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("territoires"), related_name="resources", blank=True
    )
    visibility = VisibilityField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:resource", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError({"url": _("Donnez un lien ou joignez le fichier.")})
        require_reachable_or_public(
            self,
            _(
                "Hors d’une coopération, une ressource est publique : réservez-la aux membres "
                "d’une coopération en la lui rattachant."
            ),
        )

    @property
    def theme_list(self) -> list[str]:
        return [theme.strip() for theme in self.themes.split(",") if theme.strip()]
