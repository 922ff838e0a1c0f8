from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CooperationKind(models.TextChoices):
    RECIPROCITY_CONTRACT = "reciprocity_contract", _("Contrat de réciprocité")
    TERRITORIAL_CONTRACT = "territorial_contract", _("Contrat de territoire")
    CROSS_BORDER_STRATEGY = "cross_border_strategy", _("Stratégie transfrontalière")
    TERRITORIAL_PROJECT = "territorial_project", _("Projet de territoire")
    MUTUALISATION_CONVENTION = "mutualisation_convention", _("Convention de mutualisation")
    FUNDING_PROGRAMME = "funding_programme", _("Programme de financement")
    OTHER = "other", _("Autre démarche")


class Stage(models.TextChoices):
    """Where a cooperation stands, in the order it usually goes through."""

    DIAGNOSIS = "diagnosis", _("Diagnostic")
    PROTOCOL = "protocol", _("Protocole")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")
    SIGNED = "signed", _("Signée")
    IN_PROGRESS = "in_progress", _("En cours")
    EVALUATION = "evaluation", _("Évaluation")
    # A context of its own: "Close" alone is Django's button ("Fermer" in French).
    CLOSED = "closed", pgettext_lazy("étape d’une coopération", "Close")
    RENEWED = "renewed", _("Renouvelée")


class PartyRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signataire")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
    ASSOCIATED = "associated", _("Associé")
    OBSERVER = "observer", _("Observateur")


class MilestoneKind(models.TextChoices):
    STUDY = "study", _("Étude")
    DELIBERATION = "deliberation", _("Délibération")
    PROTOCOL_SIGNATURE = "protocol_signature", _("Signature du protocole")
    CONTRACT_SIGNATURE = "contract_signature", _("Signature du contrat")
    AMENDMENT = "amendment", _("Avenant")
    REVIEW = "review", _("Revue")
    EVALUATION = "evaluation", _("Évaluation")
    OTHER = "other", _("Autre étape")


class DocumentKind(models.TextChoices):
    REFERENCE = "reference", _("Document de référence")
    STUDY = "study", _("Étude")
    DELIBERATION = "deliberation", _("Délibération")
    AGREEMENT = "agreement", _("Protocole, contrat ou avenant")
    PRESENTATION = "presentation", _("Présentation")
    REPORT = "report", _("Rapport d’avancement")
    OTHER = "other", _("Autre document")


class WorkingGroupKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Groupe de travail")
    THEMATIC_TABLE = "thematic_table", _("Table thématique")
    WORKSHOP = "workshop", _("Atelier")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Proposée")
    RETAINED = "retained", _("Retenue")
    MERGED = "merged", _("Fusionnée")
    DECLINED = "declined", _("Écartée")
