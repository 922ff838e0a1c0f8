"""Mutualisation conventions: what parties of a cooperation share (services, staff, premises,
equipment, expenses), what it costs each year and how that cost is distributed among them.

Everything that makes a year's figures hangs from its `AllocationYear`: costs, keys, declared
uses, populations, advances. A closed year refuses every change to them (services.py), so that
recomputing it gives the statements it issued; a correction reopens it and issues new versions.
"""

from decimal import Decimal

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel, VisibilityField, require_reachable
from maillage.mutualisation.enums import (
    ComponentKind,
    ConventionKind,
    CostSource,
    ItemKind,
    KeyMethod,
    Settlement,
    WorkUnit,
    YearStatus,
)

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


@reversion.register()
class Convention(TimeStampedModel):
    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        verbose_name=_("coopération"),
        on_delete=models.CASCADE,
        related_name="conventions",
    )
    title = models.CharField(_("intitulé"), max_length=255)
    kind = models.CharField(_("nature"), max_length=20, choices=ConventionKind.choices)
    purpose = models.TextField(_("objet"), blank=True)
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    date_note = models.CharField(
        _("précision sur la date"),
        max_length=255,
        blank=True,
        help_text=_("Ex. : « date non indiquée dans la source »"),
    )
    start_date = models.DateField(_("prend effet le"), null=True, blank=True)
    end_date = models.DateField(_("prend fin le"), null=True, blank=True)
    tacit_renewal = models.BooleanField(_("reconduction tacite"), default=False)
    settlement = models.CharField(
        _("règlement"),
        max_length=16,
        choices=Settlement.choices,
        default=Settlement.REIMBURSEMENT,
    )
    visibility = VisibilityField()
    documents = models.ManyToManyField(
        "cooperations.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="conventions",
        help_text=_(
            "La convention signée, la fiche d’impact, les délibérations, l’avis du comité."
        ),
    )

    class Meta:
        verbose_name = _("convention de mutualisation")
        verbose_name_plural = _("conventions de mutualisation")
        ordering = ["cooperation", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mutualisation:convention", args=[self.cooperation.slug, self.pk])

    def clean(self) -> None:
        require_reachable(self)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin précède le début.")})


@reversion.register()
class ConventionParty(TimeStampedModel):
    """A party of the cooperation signing the convention, and who handles its money."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parties")
    party = models.ForeignKey(
        "cooperations.Party",
        verbose_name=_("partie prenante"),
        on_delete=models.RESTRICT,
        related_name="conventions",
    )
    finance_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référent financier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="convention_parties",
        help_text=_("Déclare les usages de sa structure et lit ses décomptes."),
    )

    class Meta:
        verbose_name = _("partie à la convention")
        verbose_name_plural = _("parties à la convention")
        ordering = ["convention", "party__organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "party"], name="one_convention_party")
        ]

    def __str__(self) -> str:
        return self.party.organisation.name

    def clean(self) -> None:
        if self.party_id and self.party.cooperation_id != self.convention.cooperation_id:
            raise ValidationError(
                {"party": _("Cette structure n’est pas partie prenante de la coopération.")}
            )


@reversion.register()
class Amendment(TimeStampedModel):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numéro"), editable=False)
    signed_on = models.DateField(_("signé le"))
    changes = models.TextField(_("ce qu’il modifie"))

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "number"], name="one_amendment_number")
        ]

    def __str__(self) -> str:
        return str(_("Avenant n° %(number)s") % {"number": self.number})


@reversion.register()
class SharedItem(TimeStampedModel):
    """A service, a person's time, premises, equipment or an expense the convention shares."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("intitulé"), max_length=255)
    kind = models.CharField(_("nature"), max_length=16, choices=ItemKind.choices)
    unit = models.CharField(
        _("unité d’œuvre"), max_length=16, choices=WorkUnit.choices, default=WorkUnit.HOURS
    )
    provider = models.ForeignKey(
        ConventionParty,
        verbose_name=_("mis à disposition par"),
        on_delete=models.RESTRICT,
        related_name="provided_items",
    )
    sharing_parties = models.ManyToManyField(
        ConventionParty,
        verbose_name=_("parties qui se le partagent"),
        blank=True,
        related_name="shared_items",
        help_text=_("Aucune : toutes les parties à la convention."),
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne mise à disposition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_as",
        help_text=_("Pour du personnel : l’agent dont le temps est partagé."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("élément mutualisé")
        verbose_name_plural = _("éléments mutualisés")
        ordering = ["convention", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.provider_id and self.provider.convention_id != self.convention_id:
            raise ValidationError(
                {"provider": _("Cette structure n’est pas partie à la convention.")}
            )


@reversion.register()
class AllocationYear(TimeStampedModel):
    """One year of a convention: its inputs, and the statements issued when it is closed."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("état"), max_length=8, choices=YearStatus.choices, default=YearStatus.OPEN
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(
        _("version des décomptes"), default=0, help_text=_("0 : aucun décompte émis.")
    )
    correction = models.CharField(_("motif de la correction en cours"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("exercice")
        verbose_name_plural = _("exercices")
        ordering = ["convention", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "year"], name="one_allocation_year")
        ]

    def __str__(self) -> str:
        return f"{self.convention} — {self.year}"

    def get_absolute_url(self) -> str:
        convention = self.convention
        return reverse(
            "mutualisation:year", args=[convention.cooperation.slug, convention.pk, self.year]
        )

    @property
    def is_open(self) -> bool:
        return self.status == YearStatus.OPEN


class YearInput(TimeStampedModel):
    """What a year's figures are computed from: frozen with the year."""

    year = models.ForeignKey(AllocationYear, on_delete=models.CASCADE)

    class Meta:
        abstract = True


@reversion.register()
class Cost(YearInput):
    """One component of a shared item's yearly cost, with the document it comes from."""

    item = models.ForeignKey(SharedItem, on_delete=models.RESTRICT, related_name="costs")
    component = models.CharField(_("composante"), max_length=16, choices=ComponentKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=CostSource.choices)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    note = models.CharField(_("précision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("coût")
        verbose_name_plural = _("coûts")
        ordering = ["year", "item", "component"]
        default_related_name = "costs"


@reversion.register()
class KeyTerm(YearInput):
    """One term of an item's distribution key: a method and its weight in the mix (the weights
    of an item's terms add up to 100)."""

    item = models.ForeignKey(SharedItem, on_delete=models.RESTRICT, related_name="key_terms")
    method = models.CharField(_("clé"), max_length=16, choices=KeyMethod.choices)
    weight = models.DecimalField(
        _("poids (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("terme de clé de répartition")
        verbose_name_plural = _("termes de clé de répartition")
        ordering = ["year", "item", "method"]
        default_related_name = "key_terms"
        constraints = [
            models.UniqueConstraint(fields=["year", "item", "method"], name="one_key_term")
        ]


@reversion.register()
class KeyFigure(YearInput):
    """A party's figure for a key entered with it: its FTE, its area, or its fixed share (%)."""

    item = models.ForeignKey(SharedItem, on_delete=models.RESTRICT, related_name="key_figures")
    party = models.ForeignKey(
        ConventionParty, on_delete=models.RESTRICT, related_name="key_figures"
    )
    method = models.CharField(_("clé"), max_length=16, choices=KeyMethod.choices)
    value = models.DecimalField(
        _("valeur"), max_digits=14, decimal_places=4, validators=NOT_NEGATIVE
    )

    class Meta:
        verbose_name = _("valeur de clé")
        verbose_name_plural = _("valeurs de clé")
        default_related_name = "key_figures"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "item", "party", "method"], name="one_key_figure"
            )
        ]


@reversion.register()
class DeclaredUse(YearInput):
    """The units of an item a party plans to use (at the start of the year) and used."""

    item = models.ForeignKey(SharedItem, on_delete=models.RESTRICT, related_name="uses")
    party = models.ForeignKey(ConventionParty, on_delete=models.RESTRICT, related_name="uses")
    forecast = models.DecimalField(
        _("prévu"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    actual = models.DecimalField(
        _("réalisé"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("usage déclaré")
        verbose_name_plural = _("usages déclarés")
        default_related_name = "uses"
        constraints = [
            models.UniqueConstraint(fields=["year", "item", "party"], name="one_declared_use")
        ]


@reversion.register()
class Population(YearInput):
    """A party's population as the year used it: read from the referential while the year is
    open, written here when it closes (the referential moves on each year)."""

    party = models.ForeignKey(
        ConventionParty, on_delete=models.RESTRICT, related_name="populations"
    )
    inhabitants = models.PositiveIntegerField(_("habitants"))
    census_year = models.PositiveSmallIntegerField(_("millésime"), null=True, blank=True)

    class Meta:
        verbose_name = _("population retenue")
        verbose_name_plural = _("populations retenues")
        default_related_name = "populations"
        constraints = [models.UniqueConstraint(fields=["year", "party"], name="one_population")]


@reversion.register()
class Advance(YearInput):
    """A payment on account a party has already made for the year."""

    party = models.ForeignKey(ConventionParty, on_delete=models.RESTRICT, related_name="advances")
    amount = models.DecimalField(
        _("montant (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    paid_on = models.DateField(_("versé le"))
    note = models.CharField(_("précision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("acompte")
        verbose_name_plural = _("acomptes")
        ordering = ["year", "paid_on"]
        default_related_name = "advances"


class Statement(models.Model):
    """A party's yearly statement as issued when the year closed (one version per closing).
    `lines` holds its detail, per item and component, as it was computed."""

    year = models.ForeignKey(AllocationYear, on_delete=models.CASCADE, related_name="statements")
    party = models.ForeignKey(ConventionParty, on_delete=models.RESTRICT, related_name="statements")
    version = models.PositiveSmallIntegerField(_("version"))
    issued_at = models.DateTimeField(_("émis le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    share = models.DecimalField(_("part du coût total (€)"), max_digits=14, decimal_places=2)
    due = models.DecimalField(_("montant dû (€)"), max_digits=14, decimal_places=2)
    forecast_due = models.DecimalField(_("montant dû prévu (€)"), max_digits=14, decimal_places=2)
    advances = models.DecimalField(_("acomptes versés (€)"), max_digits=14, decimal_places=2)
    balance = models.DecimalField(_("solde (€)"), max_digits=14, decimal_places=2)
    lines = models.JSONField(_("détail"))

    class Meta:
        verbose_name = _("décompte annuel")
        verbose_name_plural = _("décomptes annuels")
        ordering = ["year", "party", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "party", "version"], name="one_statement")
        ]

    def __str__(self) -> str:
        return f"{self.party} — {self.year.year} (v{self.version})"
