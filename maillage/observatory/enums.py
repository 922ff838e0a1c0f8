from django.db import models
from django.utils.translation import gettext_lazy as _


class FlowKind(models.TextChoices):
    """The three INSEE flow files, told apart by their destination column and their count."""

    HOME_WORK = "home_work", _("Domicile → travail")
    HOME_STUDY = "home_study", _("Domicile → études")
    MIGRATION = "migration", _("Migrations résidentielles")


class Aggregation(models.TextChoices):
    """How a variable's value for an area comes from its communes'."""

    SUM = "sum", _("Somme")
    RATIO = "ratio", _("Rapport de deux sommes")
    NONE = "none", _("Non agrégeable")


class FlowLevel(models.TextChoices):
    """The level flows are grouped at."""

    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI")
    DEPARTEMENT = "departement", _("Département")
