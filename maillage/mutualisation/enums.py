from django.db import models
from django.utils.translation import gettext_lazy as _


class ConventionKind(models.TextChoices):
    """The conventions of the CGCT (L5211-4-1, L5211-4-2) and the others parties sign."""

    ASCENDING = "ascending", _("Mise à disposition de services ascendante (des communes à l’EPCI)")
    DESCENDING = (
        "descending",
        _("Mise à disposition de services descendante (de l’EPCI aux communes)"),
    )
    COMMON_SERVICE = "common_service", _("Service commun")
    ASSISTANCE = "assistance", _("Convention d’assistance et de moyens")
    OTHER = "other", _("Autre convention")


class Settlement(models.TextChoices):
    """How a party pays what it owes: reimbursed on a yearly statement, or (an EPCI under the
    single business tax, for a service commun) deducted from its attribution de compensation."""

    REIMBURSEMENT = "reimbursement", _("Remboursement sur état annuel")
    COMPENSATION = "compensation", _("Imputation sur l’attribution de compensation")


class ItemKind(models.TextChoices):
    SERVICE = "service", _("Service")
    STAFF = "staff", _("Personnel")
    PREMISES = "premises", _("Locaux")
    EQUIPMENT = "equipment", _("Équipement")
    EXPENSE = "expense", _("Dépense partagée")


class WorkUnit(models.TextChoices):
    """The unit of work in which a shared item's use is counted (D5211-16)."""

    HOURS = "hours", _("heures")
    DAYS = "days", _("jours")
    FTE = "fte", _("ETP")
    SQUARE_METRES = "square_metres", _("m²")
    FILES = "files", _("dossiers instruits")
    INHABITANTS = "inhabitants", _("habitants")
    KILOMETRES = "kilometres", _("kilomètres")
    UNITS = "units", _("unités")


class ComponentKind(models.TextChoices):
    """The parts of a unit operating cost (D5211-16)."""

    STAFF = "staff", _("Charges de personnel")
    SUPPLIES = "supplies", _("Fournitures")
    RENEWAL = "renewal", _("Renouvellement des biens")
    CONTRACTS = "contracts", _("Contrats de services rattachés")
    OTHER = "other", _("Autres charges")


class CostSource(models.TextChoices):
    ACCOUNTS = "accounts", _("Compte administratif de l’année précédente")
    BUDGET = "budget", _("Budget de l’année")
    ESTIMATE = "estimate", _("Estimation")


class KeyMethod(models.TextChoices):
    """What a distribution key shares a cost by."""

    USE = "use", _("Usage déclaré")
    POPULATION = "population", _("Population")
    FTE = "fte", _("ETP")
    AREA = "area", _("Surface")
    FIXED = "fixed", _("Parts fixes")


# The methods whose figure per party is entered with the key (the others come from the declared
# uses and from the territories' referential).
ENTERED_METHODS = (KeyMethod.FTE, KeyMethod.AREA, KeyMethod.FIXED)


class YearStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Close")


class Scenario(models.TextChoices):
    """A year's distribution on the uses forecast at its start, or on those declared."""

    FORECAST = "forecast", _("Prévisionnel")
    ACTUAL = "actual", _("Réalisé")
