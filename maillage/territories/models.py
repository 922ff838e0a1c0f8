"""Territories: the official referential (INSEE COG, OFS) and the areas people compose from it.

Administrative oddities worth knowing:
- A commune déléguée or associée (TYPECOM COMD/COMA) and a Paris/Lyon/Marseille arrondissement
  (ARM) sit inside a commune (COMPARENT). They may share their code with their commune
  (a commune nouvelle's chef-lieu is also a commune déléguée), so codes are unique per kind.
- EPCI change every 1 January; a code that disappears from the file is kept with a
  `valid_until` so that what points at it stays readable.
- An associated commune may lie in another département than its commune (02285 ∈ 59545).
"""

import hashlib
from collections.abc import Iterable

import reversion
from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.figures import cached_figures
from maillage.core.models import SearchableModel
from maillage.core.text import fold
from maillage.territories.enums import (
    COMMUNE_LEVEL_KINDS,
    COMPOSED_KINDS,
    POPULATION_UNIT_KINDS,
    Country,
    EpciNature,
    MembershipSource,
    TerritoryKind,
)

# INSEE's TNCC: the article of a name and the "charnière" used to say "of" that place.
ARTICLES = {
    0: ("", "de "),
    1: ("", "d’"),
    2: ("Le ", "du "),
    3: ("La ", "de la "),
    4: ("Les ", "des "),
    5: ("L’", "de l’"),
    6: ("Aux ", "des "),
    7: ("Las ", "de las "),
    8: ("Los ", "de los "),
}


def _walk_sql(start: str, step: str) -> str:
    """Every territory reached from one by following memberships from `start` to `step`
    (two constant column names: no input reaches this text)."""
    return f"""
    WITH RECURSIVE walk(id) AS (
        SELECT {step} FROM territories_territorymembership WHERE {start} = %s
        UNION
        SELECT m.{step} FROM territories_territorymembership m JOIN walk ON m.{start} = walk.id
    )
    SELECT id FROM walk
    """  # noqa: S608


_DESCENDANTS_SQL = _walk_sql("container_id", "member_id")
_ANCESTORS_SQL = _walk_sql("member_id", "container_id")


_POPULATION_UNDER_SQL = """
WITH RECURSIVE below(root, id) AS (
    SELECT container_id, member_id FROM territories_territorymembership
    WHERE container_id IN ({roots})
    UNION
    SELECT below.root, m.member_id FROM territories_territorymembership m
    JOIN below ON m.container_id = below.id
)
SELECT below.root, SUM(t.population) FROM below
JOIN territories_territory t ON t.id = below.id
WHERE t.kind IN ({units})
GROUP BY below.root
"""


def populations_of(territories: "Iterable[Territory]") -> dict[int, int | None]:
    """The population of each territory, in one query for all: its own for a commune, else
    the sum of the communes under it, else (a Swiss canton with no commune loaded) its own.
    The sums come from the cache while the territories are unchanged (core.figures)."""
    territories = list(territories)
    containers = sorted(t.pk for t in territories if t.kind not in POPULATION_UNIT_KINDS)
    sums: dict[int, int] = {}
    if containers:
        wanted = hashlib.sha256(",".join(map(str, containers)).encode()).hexdigest()[:32]
        sums = cached_figures(
            f"populations:{wanted}", lambda: _populations_under(containers), lambda _sums: None
        )
    return {t.pk: sums.get(t.pk, t.population) for t in territories}


def _populations_under(containers: list[int]) -> dict[int, int]:
    sql = _POPULATION_UNDER_SQL.format(
        roots=", ".join(["%s"] * len(containers)),
        units=", ".join(["%s"] * len(POPULATION_UNIT_KINDS)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*containers, *sorted(POPULATION_UNIT_KINDS)])
        return {root: total for root, total in cursor.fetchall() if total is not None}


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def current(self) -> "TerritoryQuerySet":
        return self.filter(valid_until__isnull=True)

    def search(self, text: str) -> "TerritoryQuerySet":
        """Name or code, accents and case ignored: "relecq" finds "Le Relecq-Kerhuon"."""
        text = text.strip()
        if not text:
            return self
        folded = Territory.fold(text)
        return self.filter(Q(search_name__contains=folded) | Q(code__startswith=text))

    def under(self, territory: "Territory") -> "TerritoryQuerySet":
        """Every territory inside `territory`, however deep, in one query."""
        # A constant query with a bound parameter: nothing user-typed reaches the SQL text.
        return self.filter(pk__in=RawSQL(_DESCENDANTS_SQL, [territory.pk]))  # noqa: S611

    def above(self, territory: "Territory") -> "TerritoryQuerySet":
        """Every territory containing `territory`, however high, in one query."""
        return self.filter(pk__in=RawSQL(_ANCESTORS_SQL, [territory.pk]))  # noqa: S611

    def communes_under(self, territory: "Territory") -> "TerritoryQuerySet":
        return self.under(territory).filter(kind=TerritoryKind.COMMUNE)


@reversion.register()
class Territory(SearchableModel):
    kind = models.CharField(_("nature"), max_length=32, choices=TerritoryKind.choices)
    code = models.CharField(
        _("code officiel"),
        max_length=20,
        blank=True,
        help_text=_("Code INSEE, SIREN d’un EPCI, numéro OFS d’une commune ou d’un canton suisse."),
    )
    country = models.CharField(
        _("pays"), max_length=2, choices=Country.choices, default=Country.FRANCE
    )
    name = models.CharField(_("nom"), max_length=200)
    # INSEE gives the name without its article (NCCENR) and the article type (TNCC).
    article_type = models.PositiveSmallIntegerField(_("type d’article (TNCC)"), default=0)
    epci_nature = models.CharField(
        _("nature juridique de l’EPCI"), max_length=8, choices=EpciNature.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("année de la population"), null=True, blank=True
    )
    valid_from = models.DateField(_("valide depuis"), null=True, blank=True)
    valid_until = models.DateField(_("valide jusqu’au"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When an official file last confirmed this territory: what an import did not confirm is gone.
    synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    members: "models.ManyToManyField[Territory, TerritoryMembership]" = models.ManyToManyField(
        "self",
        through="TerritoryMembership",
        through_fields=("container", "member"),
        symmetrical=False,
        related_name="containers",
        verbose_name=_("membres"),
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["search_name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "country", "code"],
                condition=~Q(code=""),
                name="official_code_unique_per_kind_and_country",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def searchable_text(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", kwargs={"pk": self.pk})

    @staticmethod
    def fold(text: str) -> str:
        return fold(text)

    @property
    def is_composed(self) -> bool:
        return self.kind in COMPOSED_KINDS

    @property
    def of_name(self) -> str:
        """ "de Brest", "du Relecq-Kerhuon", "des Abrets en Dauphiné": INSEE's charnière."""
        article, charniere = ARTICLES.get(self.article_type, ("", "de "))
        bare = self.name[len(article) :] if article and self.name.startswith(article) else self.name
        return f"{charniere}{bare}"

    def aggregate_population(self) -> int | None:
        """The population of the communes (French or Swiss) inside this territory, in one
        query; members with no commune loaded below them (a Swiss canton) count with their own.
        """
        if self.kind in POPULATION_UNIT_KINDS:
            return self.population
        has_members = Exists(TerritoryMembership.objects.filter(container=OuterRef("pk")))
        leaves_or_units = Territory.objects.under(self).filter(
            Q(kind__in=POPULATION_UNIT_KINDS) | (~has_members & ~Q(kind__in=COMMUNE_LEVEL_KINDS))
        )
        total = leaves_or_units.aggregate(total=Sum("population"))["total"]
        return total if total is not None else self.population


@reversion.register()
class TerritoryMembership(models.Model):
    """`member` lies inside `container` (commune ∈ EPCI, EPCI ∈ Pays, canton ∈ area…)."""

    container = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="memberships_as_container"
    )
    member = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="memberships_as_member"
    )
    source = models.CharField(
        max_length=32, choices=MembershipSource.choices, default=MembershipSource.MANUAL
    )

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(fields=["container", "member"], name="one_membership_per_pair"),
            models.CheckConstraint(
                condition=~Q(container=models.F("member")), name="not_inside_itself"
            ),
        ]
        indexes = [models.Index(fields=["source"])]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.container}"
