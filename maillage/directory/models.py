import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.models import SearchableModel, TimeStampedModel
from maillage.core.text import fold
from maillage.core.validators import (
    MaxFileSize,
    validate_raster_image,
    validate_siren,
    validate_siret,
)
from maillage.directory.enums import OrganisationKind, PositionKind

LOGO_EXTENSIONS = ["png", "jpg", "jpeg", "webp", "gif"]  # no SVG: it can carry a script


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def search(self, text: str) -> "OrganisationQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(search_name__contains=fold(text)) | models.Q(siren=text.replace(" ", ""))
        )


@reversion.register()
class Organisation(SearchableModel):
    name = models.CharField(_("nom"), max_length=255)
    kind = models.CharField(_("nature"), max_length=32, choices=OrganisationKind.choices)
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text=_("9 chiffres, pour une structure française."),
    )
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text=_(
            "14 chiffres : le SIREN et le numéro de l’établissement. Les données ouvertes des "
            "subventions l’exigent de qui attribue et de qui reçoit."
        ),
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text=_("Le territoire que la structure représente ou sur lequel elle agit."),
    )
    address = models.TextField(_("adresse"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[
            FileExtensionValidator(LOGO_EXTENSIONS),
            validate_raster_image,
            MaxFileSize(2),
        ],
    )
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["search_name"]
        indexes = [models.Index(fields=["siren"])]

    def __str__(self) -> str:
        return self.name

    def searchable_text(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError(
                {
                    "siret": _("Le SIRET commence par le SIREN de la structure (%(siren)s).")
                    % {"siren": self.siren}
                }
            )
        if self.siret and not self.siren:
            self.siren = self.siret[:9]

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", kwargs={"pk": self.pk})


# The fields that identify a person: what an erasure removes, from the row and its history.
PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "note")


@reversion.register()
class Person(SearchableModel):
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text=_("Le compte de cette personne : elle peut alors modifier ses coordonnées."),
    )
    erased_at = models.DateTimeField(_("effacée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["search_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def searchable_text(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", kwargs={"pk": self.pk})


class PositionQuerySet(models.QuerySet["Position"]):
    def current(self) -> "PositionQuerySet":
        from django.utils import timezone

        return self.filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=timezone.localdate())
        )


@reversion.register()
class Position(TimeStampedModel):
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="positions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(_("fonction"), max_length=200)
    kind = models.CharField(_("type de fonction"), max_length=16, choices=PositionKind.choices)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("fonction")
        verbose_name_plural = _("fonctions")
        ordering = ["organisation__search_name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title}, {self.organisation}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin ne peut pas précéder le début.")})
