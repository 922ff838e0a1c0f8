from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


class ResourceKind(models.TextChoices):
    TEXT = "text", _("Texte et réglementation")
    STUDY = "study", _("Étude")
    PRESENTATION = "presentation", _("Présentation")
    MINUTES = "minutes", _("Compte rendu")
    TEMPLATE = "template", _("Modèle")
    TOOL = "tool", _("Outil")
    OTHER = "other", _("Autre")


# How a cooperation's document reads in the resource centre.
DOCUMENT_RESOURCE_KINDS = {
    "reference": ResourceKind.TEXT,
    "deliberation": ResourceKind.TEXT,
    "agreement": ResourceKind.TEXT,
    "study": ResourceKind.STUDY,
    "report": ResourceKind.STUDY,
    "presentation": ResourceKind.PRESENTATION,
    "other": ResourceKind.OTHER,
}
