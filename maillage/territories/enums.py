from django.db import models
from django.utils.translation import gettext_lazy as _


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DELEGATED_COMMUNE = "delegated_commune", _("Commune déléguée")
    ASSOCIATED_COMMUNE = "associated_commune", _("Commune associée")
    MUNICIPAL_ARRONDISSEMENT = "municipal_arrondissement", _("Arrondissement municipal")
    EPCI = "epci", _("EPCI à fiscalité propre")
    PAYS = "pays", _("Pays / PETR")
    SCOT = "scot", _("Territoire de SCoT")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    SWISS_COMMUNE = "swiss_commune", _("Commune suisse")
    SWISS_CANTON = "swiss_canton", _("Canton suisse")
    COUNTRY = "country", _("Pays (État)")
    COOPERATION_AREA = "cooperation_area", _("Territoire de coopération")
    CUSTOM_AREA = "custom_area", _("Périmètre libre")


# INSEE TYPECOM → kind. A commune déléguée, associée or arrondissement lives inside a commune.
TYPECOM_KINDS = {
    "COM": TerritoryKind.COMMUNE,
    "COMD": TerritoryKind.DELEGATED_COMMUNE,
    "COMA": TerritoryKind.ASSOCIATED_COMMUNE,
    "ARM": TerritoryKind.MUNICIPAL_ARRONDISSEMENT,
}
COMMUNE_LEVEL_KINDS = frozenset(TYPECOM_KINDS.values())
# Kinds built by people from member territories, not imported from an official file.
COMPOSED_KINDS = frozenset(
    {
        TerritoryKind.PAYS,
        TerritoryKind.SCOT,
        TerritoryKind.COOPERATION_AREA,
        TerritoryKind.CUSTOM_AREA,
    }
)
# The units whose populations add up to an area's: a commune déléguée is already counted
# in its commune.
POPULATION_UNIT_KINDS = frozenset({TerritoryKind.COMMUNE, TerritoryKind.SWISS_COMMUNE})


class EpciNature(models.TextChoices):
    """NATURE_EPCI of the INSEE file."""

    METROPOLE = "ME", _("Métropole")
    URBAN_COMMUNITY = "CU", _("Communauté urbaine")
    AGGLOMERATION_COMMUNITY = "CA", _("Communauté d’agglomération")
    COMMUNITY_OF_COMMUNES = "CC", _("Communauté de communes")
    METROPOLE_LYON = "METLYON", _("Métropole de Lyon")


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    SWITZERLAND = "CH", _("Suisse")


class MembershipSource(models.TextChoices):
    """Where a membership comes from: official links are replaced by each import."""

    COG_COMMUNES = "cog_communes", _("COG — communes")
    COG_EPCI = "cog_epci", _("COG — composition des EPCI")
    COG_DEPARTEMENTS = "cog_departements", _("COG — départements")
    MANUAL = "manual", _("Saisie")
