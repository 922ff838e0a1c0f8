"""The demo: the five seed documents' cooperations and one account per role.

Facts come from the seed documents; later capabilities add their parties, strategies,
projects and bodies here.
"""

from typing import Any

from maillage.accounts.enums import Role
from maillage.cooperations.enums import CooperationKind
from maillage.core.enums import Visibility

COOPERATIONS: list[dict[str, Any]] = [
    {
        "slug": "brest-cob",
        "short_name": "Brest métropole ↔ Pays COB",
        "title": "Contrat de réciprocité Brest métropole – Pays du Centre Ouest Bretagne",
        "kind": CooperationKind.RECIPROCITY_CONTRACT,
        "visibility": Visibility.PUBLIC,
        "summary": (
            "Expérimentation d’un contrat de réciprocité ville-campagne entre Brest métropole "
            "(207 000 habitants) et le Pays du Centre Ouest Bretagne, préparée par une étude de "
            "l’Adeupa. Protocole de coopération signé par les présidents le 14 décembre 2015, trois "
            "groupes de travail thématiques réunissant 50 représentants, contrat signé le "
            "4 novembre 2016 avec les partenaires ; un comité de suivi se réunit au moins une fois "
            "par an avec les Départements, la Région et l’État."
        ),
    },
    {
        "slug": "cambresis",
        "short_name": "Contrat de territoire du Cambrésis",
        "title": "Contrat de territoire du Cambrésis — Département du Nord",
        "kind": CooperationKind.TERRITORIAL_CONTRACT,
        "visibility": Visibility.PUBLIC,
        "summary": (
            "Contrat de six ans entre le Département du Nord et ses partenaires du Cambrésis "
            "(intercommunalités, communes, chambres consulaires), signé le 7 juillet 2011 après "
            "8 conférences partenariales et plus de 30 groupes de travail. Plan d’action de "
            "280 projets, dont 12 grands travaux départementaux et 91 déjà engagés."
        ),
    },
    {
        "slug": "arc-jurassien",
        "short_name": "Arc jurassien",
        "title": "Stratégie de coopération transfrontalière « Pour une nouvelle dynamique de l’Arc jurassien »",
        "kind": CooperationKind.CROSS_BORDER_STRATEGY,
        "visibility": Visibility.PUBLIC,
        "summary": (
            "Stratégie de la Conférence TransJurassienne (CTJ) entre la France et la Suisse : axes "
            "et actions numérotés, tables thématiques, comités de pilotage territoriaux articulés "
            "avec le Conseil des Territoires Transfrontaliers, Fonds Petits Projets Transfrontaliers "
            "(projets locaux de moins de 35 000 €) et Matinées de la CTJ."
        ),
    },
    {
        "slug": "pays-bassin-briey",
        "short_name": "Pays du bassin de Briey",
        "title": "Projet de territoire du Pays du bassin de Briey",
        "kind": CooperationKind.TERRITORIAL_PROJECT,
        "visibility": Visibility.PUBLIC,
        "summary": (
            "Une stratégie en 4 enjeux : développement économique ; cadre de vie et logement ; "
            "services ; cohésion sociale et solidarité. Financée par des contrats avec l’État, la "
            "Région, le Département et le programme européen LEADER (1,3 million d’euros)."
        ),
    },
    {
        "slug": "briey-st2b",
        "short_name": "Mutualisation Pays de Briey – ST2b",
        "title": "Convention de mutualisation entre le Pays du bassin de Briey et le ST2b",
        "kind": CooperationKind.MUTUALISATION_CONVENTION,
        "visibility": Visibility.PARTNERS,
        "summary": (
            "Mise à disposition de personnel, de matériel et de locaux, et partage de frais entre "
            "l’association du Pays du bassin de Briey et le syndicat mixte des transports ST2b, en "
            "lien étroit avec le SCoT Nord 54."
        ),
    },
    {
        "slug": "belledonne-grenoble",
        "short_name": "Belledonne ↔ Grenoble",
        "title": "Coopération Espace Belledonne – Grenoble Alpes Métropole",
        "kind": CooperationKind.RECIPROCITY_CONTRACT,
        "visibility": Visibility.RESTRICTED,
        "summary": (
            "Pistes de coopération ville-campagne à l’étude, présentées à la session d’exploration "
            "de Cap Rural du 6 décembre 2016 près de Valence TGV."
        ),
    },
]

# One account per role; `memberships` maps a cooperation slug to the role held there.
ACCOUNTS: list[dict[str, Any]] = [
    {
        "email": "admin@maillage.test",
        "first_name": "Alix",
        "last_name": "Admin",
        "label": "administration de la plateforme",
        "is_staff": True,
        "memberships": {},
    },
    {
        "email": "coordination@maillage.test",
        "first_name": "Claire",
        "last_name": "Coordinatrice",
        "label": "coordination",
        "memberships": {
            "brest-cob": Role.COORDINATOR,
            "cambresis": Role.COORDINATOR,
            "briey-st2b": Role.COORDINATOR,
            "belledonne-grenoble": Role.COORDINATOR,
        },
    },
    {
        "email": "elu@maillage.test",
        "first_name": "Étienne",
        "last_name": "Élu",
        "label": "élu, membre d’une instance",
        "memberships": {"brest-cob": Role.BODY_MEMBER, "cambresis": Role.BODY_MEMBER},
    },
    {
        "email": "porteur@maillage.test",
        "first_name": "Paula",
        "last_name": "Porteuse",
        "label": "référente de projet",
        "memberships": {"brest-cob": Role.PROJECT_CONTACT, "arc-jurassien": Role.PROJECT_CONTACT},
    },
    {
        "email": "financeur@maillage.test",
        "first_name": "Fanny",
        "last_name": "Financeuse",
        "label": "financeur",
        "memberships": {
            "brest-cob": Role.FUNDER,
            "cambresis": Role.FUNDER,
            "pays-bassin-briey": Role.FUNDER,
        },
    },
    {
        "email": "observateur@maillage.test",
        "first_name": "Oscar",
        "last_name": "Observateur",
        "label": "observateur",
        "memberships": {"arc-jurassien": Role.OBSERVER, "briey-st2b": Role.OBSERVER},
    },
]

# Territories ------------------------------------------------------------------------------
# The official ones come from the INSEE files shipped in maillage/territories/data/cog (eleven
# départements: 01, 22, 25, 26, 29, 38, 39, 54, 56, 59, 90). The seeds name these areas without
# listing their members: the compositions below are the demo's, and each says so.
DEMO_COMPOSITION = (
    "Composition retenue pour la démonstration : les documents sources ne la donnent pas."
)

SWISS_CANTONS = [("2", "Berne"), ("22", "Vaud"), ("24", "Neuchâtel"), ("26", "Jura")]

AREAS: list[dict[str, Any]] = [
    {
        "kind": "pays",
        "name": "Pays du Centre Ouest Bretagne",
        "description": "Les cinq communautés de communes du Pays COB au 1er janvier 2025, sur les "
        "Côtes-d’Armor, le Finistère et le Morbihan. " + DEMO_COMPOSITION,
        "members": [
            "epci:242900744",
            "epci:242900561",
            "epci:242200715",
            "epci:200067197",
            "epci:245614417",
        ],
    },
    {
        "kind": "cooperation_area",
        "name": "Cambrésis",
        "description": "Le territoire du contrat de territoire du Cambrésis (Département du Nord) : "
        "agglomérations de Cambrai et du Caudrésis-Catésis, Pays Solesmois. " + DEMO_COMPOSITION,
        "members": ["epci:200068500", "epci:200030633", "epci:245901038"],
    },
    {
        "kind": "scot",
        "name": "SCoT de la Flandre maritime",
        "description": DEMO_COMPOSITION,
        "members": ["epci:245900428", "epci:200040954"],
    },
    {
        "kind": "scot",
        "name": "SCoT de la Flandre intérieure",
        "description": DEMO_COMPOSITION,
        "members": ["epci:200040947", "epci:245900758"],
    },
    {
        "kind": "scot",
        "name": "SCoT Sambre-Avesnois",
        "description": DEMO_COMPOSITION,
        "members": ["epci:200043396", "epci:200043321", "epci:200043263", "epci:200043404"],
    },
    {
        "kind": "scot",
        "name": "SCoT du Grand Douaisis",
        "description": DEMO_COMPOSITION,
        "members": ["epci:200044618", "epci:245901152"],
    },
    {
        "kind": "scot",
        "name": "SCoT du Valenciennois",
        "description": DEMO_COMPOSITION,
        "members": ["epci:245901160", "epci:200042190"],
    },
    {
        "kind": "scot",
        "name": "SCoT de l’arrondissement de Lille",
        "description": DEMO_COMPOSITION,
        "members": ["epci:200093201", "epci:200041960"],
    },
    {
        "kind": "cooperation_area",
        "name": "Arc jurassien",
        "description": "Le territoire de la Conférence TransJurassienne : côté français le Doubs, le "
        "Jura et le Territoire de Belfort ; côté suisse les cantons de Berne, du Jura, de Neuchâtel "
        "et de Vaud. Les populations des cantons ne sont pas chargées. " + DEMO_COMPOSITION,
        "members": [
            "departement:25",
            "departement:39",
            "departement:90",
            "CH:2",
            "CH:22",
            "CH:24",
            "CH:26",
        ],
    },
    {
        "kind": "pays",
        "name": "Pays du bassin de Briey",
        "description": "Orne Lorraine Confluences et Cœur du Pays-Haut, en Meurthe-et-Moselle, "
        "au nord du SCoT Nord 54. " + DEMO_COMPOSITION,
        "members": ["epci:200070845", "epci:200070290"],
    },
    {
        "kind": "custom_area",
        "name": "Espace Belledonne",
        "description": "Le massif de Belledonne, partenaire de Grenoble-Alpes-Métropole dans les pistes "
        "de coopération présentées par Cap Rural. Ses communes ne sont pas listées par les sources : "
        "le périmètre est à compléter.",
        "members": [],
    },
]

# Directory ---------------------------------------------------------------------------------
# The organisations the seeds name. SIRENs are given only where they are public and certain.
ORGANISATIONS: list[dict[str, Any]] = [
    {"name": "Brest métropole", "kind": "epci", "siren": "242900314", "territory": "epci:242900314",
     "website": "https://www.brest.fr"},
    {"name": "Pays du Centre Ouest Bretagne", "kind": "pays", "territory_name": "Pays du Centre Ouest Bretagne"},
    {"name": "Adeupa Brest-Bretagne", "kind": "agency", "territory": "epci:242900314",
     "address": "Agence d’urbanisme de Brest-Bretagne, auteure de l’étude préalable du contrat de réciprocité."},
    {"name": "CHU de Brest", "kind": "hospital", "territory": "commune:29019"},
    {"name": "Conservatoire de Brest métropole", "kind": "school", "territory": "epci:242900314"},
    {"name": "Région Bretagne", "kind": "region", "siren": "233500016", "territory": "region:53"},
    {"name": "Département du Nord", "kind": "departement", "siren": "225900018", "territory": "departement:59"},
    {"name": "Communauté d’agglomération de Cambrai", "kind": "epci", "siren": "200068500", "territory": "epci:200068500"},
    {"name": "Chambre d’agriculture du Nord-Pas de Calais", "kind": "chamber", "territory": "departement:59"},
    {"name": "Conférence TransJurassienne (CTJ)", "kind": "other", "territory_name": "Arc jurassien",
     "website": "https://www.conference-transjurassienne.org"},
    {"name": "République et Canton du Jura", "kind": "swiss_authority", "territory": "CH:26"},
    {"name": "Pays du bassin de Briey", "kind": "association", "territory_name": "Pays du bassin de Briey"},
    {"name": "ST2b — syndicat mixte des transports du bassin de Briey", "kind": "joint_syndicate",
     "territory_name": "Pays du bassin de Briey"},
    {"name": "SCoT Nord 54", "kind": "joint_syndicate", "territory": "departement:54"},
    {"name": "Cap Rural", "kind": "association", "territory": "departement:26",
     "address": "Centre de ressources sur les pratiques et métiers du développement local, Rhône-Alpes."},
    {"name": "Caisse des Dépôts", "kind": "other", "siren": "180020026"},
    {"name": "Espace Belledonne", "kind": "association", "territory_name": "Espace Belledonne"},
    {"name": "Grenoble-Alpes-Métropole", "kind": "epci", "siren": "200040715", "territory": "epci:200040715"},
    {"name": "Préfecture du Finistère", "kind": "state_service", "territory": "departement:29"},
]  # fmt: skip

GENERATED = "Personne fictive, créée pour la démonstration."
# People: the CTJ's secretaries-general are named in seed 002; the others stand for the roles
# the seeds mention without a name, and say so.
PEOPLE: list[dict[str, Any]] = [
    {"first_name": "Thierry", "last_name": "Brunet", "note": "Secrétaire général de la CTJ (source : présentation du 27 mars 2017).",
     "positions": [("Conférence TransJurassienne (CTJ)", "Secrétaire général", "director")]},
    {"first_name": "Lucie", "last_name": "Leclercq", "note": "Secrétaire générale de la CTJ (source : présentation du 27 mars 2017).",
     "positions": [("Conférence TransJurassienne (CTJ)", "Secrétaire générale", "director")]},
    {"first_name": "Claire", "last_name": "Coordinatrice", "email": "coordination@maillage.test", "note": GENERATED,
     "account": "coordination@maillage.test",
     "positions": [("Pays du Centre Ouest Bretagne", "Directrice du Pays", "director")]},
    {"first_name": "Étienne", "last_name": "Élu", "email": "elu@maillage.test", "note": GENERATED,
     "account": "elu@maillage.test",
     "positions": [("Brest métropole", "Vice-président", "elected")]},
    {"first_name": "Paula", "last_name": "Porteuse", "email": "porteur@maillage.test", "note": GENERATED,
     "account": "porteur@maillage.test",
     "positions": [("CHU de Brest", "Cheffe de projet", "officer")]},
    {"first_name": "Fanny", "last_name": "Financeuse", "email": "financeur@maillage.test", "note": GENERATED,
     "account": "financeur@maillage.test",
     "positions": [("Région Bretagne", "Chargée de mission contrats territoriaux", "officer")]},
    {"first_name": "Oscar", "last_name": "Observateur", "email": "observateur@maillage.test", "note": GENERATED,
     "account": "observateur@maillage.test",
     "positions": [("Caisse des Dépôts", "Chargé de développement territorial", "officer")]},
    {"first_name": "Hélène", "last_name": "Présidente", "note": GENERATED,
     "positions": [("Département du Nord", "Vice-présidente chargée de l’aménagement", "elected")]},
    {"first_name": "Yann", "last_name": "Président", "note": GENERATED,
     "positions": [("Pays du Centre Ouest Bretagne", "Président", "elected")]},
    {"first_name": "Jean", "last_name": "Directeur", "note": GENERATED,
     "positions": [("Pays du bassin de Briey", "Directeur", "director"),
                   ("ST2b — syndicat mixte des transports du bassin de Briey", "Directeur (mis à disposition)", "director")]},
]  # fmt: skip
