from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Comité de pilotage")
    MONITORING_COMMITTEE = "monitoring_committee", _("Comité de suivi")
    PARTNERSHIP_CONFERENCE = "partnership_conference", _("Conférence partenariale")
    COUNCIL = "council", _("Conseil")
    TECHNICAL_GROUP = "technical_group", _("Groupe technique")
    PROJECT_TEAM = "project_team", _("Équipe projet")
    ASSEMBLY = "assembly", _("Assemblée")
    OTHER = "other", _("Autre instance")


class MandatePosition(models.TextChoices):
    PRESIDENT = "president", _("Président·e")
    VICE_PRESIDENT = "vice_president", _("Vice-président·e")
    MEMBER = "member", _("Membre")
    SECRETARY = "secretary", _("Secrétaire")
    INVITED = "invited", _("Invité·e")


class College(models.TextChoices):
    """The college a voting member sits in, where a body has them (a LEADER programming
    committee: public partners and private partners)."""

    PUBLIC = "public", _("Collège public")
    PRIVATE = "private", _("Collège privé")


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Réunion")
    CONFERENCE = "conference", _("Conférence")
    WORKSHOP = "workshop", _("Atelier")
    EVENT = "event", _("Événement")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("À confirmer")
    CONFIRMED = "confirmed", _("Inscrit·e")
    WAITING = "waiting", _("Liste d’attente")
    CANCELLED = "cancelled", _("Annulée")


class WhenFull(models.TextChoices):
    REFUSE = "refuse", _("Refuser les inscriptions")
    WAITING_LIST = "waiting_list", _("Ouvrir une liste d’attente")


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", _("Approbation")
    OPINION = "opinion", _("Avis")
    FUNDING = "funding", _("Financement")
    PROGRAMMING = "programming", _("Programmation")
    OTHER = "other", _("Autre décision")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Projet de compte rendu")
    CIRCULATED = "circulated", _("Diffusé aux membres")
    APPROVED = "approved", _("Approuvé")
    PUBLISHED = "published", _("Publié")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    EXCUSED = "excused", _("Excusé·e")
    REPRESENTED = "represented", _("Représenté·e")
