from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperationKind(models.TextChoices):
    RECIPROCITY_CONTRACT = "reciprocity_contract", _("Contrat de réciprocité")
    TERRITORIAL_CONTRACT = "territorial_contract", _("Contrat de territoire")
    CROSS_BORDER_STRATEGY = "cross_border_strategy", _("Stratégie transfrontalière")
    TERRITORIAL_PROJECT = "territorial_project", _("Projet de territoire")
    MUTUALISATION_CONVENTION = "mutualisation_convention", _("Convention de mutualisation")
    FUNDING_PROGRAMME = "funding_programme", _("Programme de financement")
    OTHER = "other", _("Autre démarche")
