from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Collectivité (commune)")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    PAYS = "pays", _("Pays / PETR")
    JOINT_SYNDICATE = "joint_syndicate", _("Syndicat mixte")
    STATE_SERVICE = "state_service", _("Service de l’État")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    SWISS_AUTHORITY = "swiss_authority", _("Canton ou commune suisse")
    AGENCY = "agency", _("Agence")
    CHAMBER = "chamber", _("Chambre consulaire")
    ASSOCIATION = "association", _("Association")
    HOSPITAL = "hospital", _("Établissement de santé")
    SCHOOL = "school", _("Établissement d’enseignement")
    COMPANY = "company", _("Entreprise")
    EU_BODY = "eu_body", _("Organisme européen")
    OTHER = "other", _("Autre")


class PositionKind(models.TextChoices):
    ELECTED = "elected", _("Élu(e)")
    DIRECTOR = "director", _("Direction")
    OFFICER = "officer", _("Chargé(e) de mission, agent")
    OTHER = "other", _("Autre")
