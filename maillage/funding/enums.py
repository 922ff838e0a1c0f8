from django.db import models
from django.utils.translation import gettext_lazy as _


class EnvelopePeriod(models.TextChoices):
    """Whether a fund's envelopes are given for each year (the FPPT: 100 000 CHF a year) or
    once for the whole programme (LEADER: 1.3 M€ over the programme)."""

    YEARLY = "yearly", _("Enveloppes annuelles")
    PROGRAMME = "programme", _("Enveloppe pour tout le programme")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    RETURNED = "returned", _("Renvoyé pour compléments")
    ELIGIBLE = "eligible", _("Recevable")
    INELIGIBLE = "ineligible", _("Irrecevable")
    ASSESSMENT = "assessment", _("En instruction")
    DECIDED = "decided", _("Décidé")
    CONTRACTED = "contracted", _("Conventionné")
    IN_PAYMENT = "in_payment", _("En paiement")
    CLOSED = "closed", _("Soldé")
    WITHDRAWN = "withdrawn", _("Retiré")


class Outcome(models.TextChoices):
    """The committee's opinion on an application."""

    APPROVED = "approved", _("Favorable")
    APPROVED_WITH_CONDITIONS = "conditions", _("Favorable sous conditions")
    POSTPONED = "postponed", _("Ajourné")
    REJECTED = "rejected", _("Défavorable")


GRANTING_OUTCOMES = (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS)


class ExpenseCategory(models.TextChoices):
    STAFF = "staff", _("Frais de personnel")
    SERVICES = "services", _("Prestations de services")
    EQUIPMENT = "equipment", _("Équipement, investissement")
    TRAVEL = "travel", _("Déplacements, hébergement, restauration")
    COMMUNICATION = "communication", _("Communication, édition")
    OVERHEADS = "overheads", _("Frais de structure")
    OTHER = "other", _("Autres dépenses")


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", _("Avance")
    INSTALMENT = "instalment", _("Acompte")
    BALANCE = "balance", _("Solde")


class QuestionKind(models.TextChoices):
    """What a call asks beyond the common questions, and in what form the answer comes."""

    TEXT = "text", _("Texte")
    NUMBER = "number", _("Nombre")
    CHOICE = "choice", _("Choix dans une liste")
    FILE = "file", _("Pièce jointe")


class Stage(models.TextChoices):
    """Where an application of a two-step call stands: the short expression of interest, then
    (once the fund's staff invite it) the full application."""

    INTEREST = "interest", _("Déclaration d’intention")
    FULL = "full", _("Dossier complet")
