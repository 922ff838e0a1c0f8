"""The observatory's data: boundaries, flows between territories, statistics of communes.

Everything here is referential data, public like the territories it describes. Geometry is
kept as WKB (shapely reads and writes it; no spatial database needed) beside a simplified
GeoJSON text made once for display, so that a map is served by joining stored texts.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.observatory.enums import Aggregation, FlowKind
from maillage.territories.models import Territory


class Boundary(models.Model):
    """A territory's outline: a commune's imported, an area's the union of its communes'
    (`derived`, with the key of the communes it was made of: another key means the
    composition changed and it is made again)."""

    territory = models.OneToOneField(
        Territory, on_delete=models.CASCADE, primary_key=True, related_name="outline"
    )
    geometry = models.BinaryField(_("géométrie (WKB)"))
    display = models.TextField(_("géométrie simplifiée (GeoJSON)"))
    latitude = models.FloatField(_("latitude du point intérieur"))
    longitude = models.FloatField(_("longitude du point intérieur"))
    derived = models.BooleanField(_("dérivé de ses communes"), default=False)
    communes_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contour")
        verbose_name_plural = _("contours")

    def __str__(self) -> str:
        return str(self.territory)


class FlowDataset(models.Model):
    """One year of one kind of flows, imported and replaced as a whole."""

    kind = models.CharField(_("nature"), max_length=16, choices=FlowKind.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    filename = models.CharField(_("fichier"), max_length=255)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    demonstration = models.BooleanField(
        _("données de démonstration"),
        default=False,
        help_text=_("Chiffres inventés dans la mise en forme de l’INSEE, pour la démonstration."),
    )
    imported_at = models.DateTimeField(_("importé le"), auto_now=True)

    class Meta:
        verbose_name = _("jeu de flux")
        verbose_name_plural = _("jeux de flux")
        ordering = ["kind", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="one_flow_dataset_per_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class Flow(models.Model):
    """People living in `origin` who work, study or lived (migrations) in `destination`:
    INSEE's weighted count, kept as published (a decimal)."""

    # Two indexes serve every read (a territory's communes joined on one end, the dataset
    # filtered) and a territory's deletion; a third and fourth would slow the import.
    dataset = models.ForeignKey(
        FlowDataset, on_delete=models.CASCADE, related_name="flows", db_index=False
    )
    origin = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    destination = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    value = models.FloatField(_("flux"))

    class Meta:
        verbose_name = _("flux")
        verbose_name_plural = _("flux")
        indexes = [
            models.Index(fields=["origin", "dataset"], name="flow_by_origin"),
            models.Index(fields=["destination", "dataset"], name="flow_by_destination"),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.destination_id}: {self.value}"


class Variable(models.Model):
    """A statistic of communes (INSEE's "base communale" column) and how it aggregates:
    a sum, a ratio of two sums (each side variable codes joined by `+` or `-`), or not at all."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    aggregation = models.CharField(
        _("agrégation"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    numerator = models.CharField(_("numérateur"), max_length=200, blank=True)
    denominator = models.CharField(_("dénominateur"), max_length=200, blank=True)
    scale = models.FloatField(_("multiplicateur"), default=1)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # The sum over every commune, kept by the statistics import: France's column of every
    # profile, read without summing 35 000 communes each time.
    france_total = models.FloatField(_("total national"), null=True, blank=True, editable=False)
    illustrative = models.BooleanField(
        _("valeurs d’illustration"),
        default=False,
        help_text=_("Valeurs inventées pour la démonstration, non officielles."),
    )

    class Meta:
        verbose_name = _("variable")
        verbose_name_plural = _("variables")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def numerator_terms(self) -> list[tuple[int, str]]:
        return terms(self.numerator)

    @property
    def denominator_terms(self) -> list[tuple[int, str]]:
        return terms(self.denominator)

    @property
    def codes_read(self) -> set[str]:
        """The stored variables its value comes from."""
        if self.aggregation != Aggregation.RATIO:
            return {self.code}
        return {code for _sign, code in (*self.numerator_terms, *self.denominator_terms)}


def terms(expression: str) -> list[tuple[int, str]]:
    """ "P21_POP-P15_POP" → [(1, "P21_POP"), (-1, "P15_POP")]: a ratio's side is a sum of
    variables, each added or taken away."""
    found = []
    for match in TERM.finditer(expression.replace(" ", "").upper()):
        found.append((-1 if match.group(1) == "-" else 1, match.group(2)))
    return found


TERM = re.compile(r"([+-]?)([A-Z0-9_]+)")


class StatisticValue(models.Model):
    """A commune's value of a stored variable (ratios are computed, never stored)."""

    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="values")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(_("valeur"))

    class Meta:
        verbose_name = _("valeur")
        verbose_name_plural = _("valeurs")
        constraints = [
            models.UniqueConstraint(fields=["variable", "territory"], name="one_value_per_variable")
        ]

    def __str__(self) -> str:
        return f"{self.variable_id} {self.territory_id}: {self.value}"
