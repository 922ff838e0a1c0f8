"""The demo: the five seed documents' cooperations and one account per role.

Facts come from the seed documents; later capabilities add their parties, strategies,
projects and bodies here.
"""

from typing import Any

from maillage.cooperations.enums import CooperationKind
from maillage.core.enums import Role, Visibility

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
        # Public: its tracks were presented at Cap Rural's public session, which visitors
        # must be able to find and register to.
        "visibility": Visibility.PUBLIC,
        "summary": (
            "Pistes de coopération ville-campagne à l’étude, présentées à la session d’exploration "
            "de Cap Rural du 6 décembre 2016 près de Valence TGV."
        ),
    },
    {
        # Not from the seeds: the issue asks for an intercommunal "service commun" of a demo EPCI.
        "slug": "ads-cambrai",
        "short_name": "Service commun ADS – agglomération de Cambrai",
        "title": "Service commun d’instruction du droit des sols de l’agglomération de Cambrai",
        "kind": CooperationKind.MUTUALISATION_CONVENTION,
        "visibility": Visibility.PARTNERS,
        "summary": (
            "Exemple de démonstration (non tiré des documents sources) : l’agglomération instruit "
            "les autorisations d’urbanisme de ses communes, qui en partagent le coût selon le "
            "nombre de dossiers instruits, imputé sur leur attribution de compensation."
        ),
    },
]

# Invitations not accepted yet (generated, not from the seeds): one still valid, one expired,
# sent `days_ago` days before the demo is loaded, by the coordination account.
INVITATIONS: list[dict[str, Any]] = [
    {
        "cooperation": "brest-cob",
        "email": "nouvelle.partenaire@exemple.test",
        "role": "funder",
        "days_ago": 3,
    },
    {
        "cooperation": "brest-cob",
        "email": "ancien.contact@exemple.test",
        "role": "observer",
        "days_ago": 45,
    },
]
INVITATIONS_SENDER = "coordination@maillage.test"

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
            "ads-cambrai": Role.COORDINATOR,
        },
    },
    {
        "email": "fonds@maillage.test",
        "first_name": "Gaëlle",
        "last_name": "Gestionnaire",
        "label": "gestion des fonds (FPPT de la CTJ, LEADER du Pays du bassin de Briey)",
        "memberships": {
            "arc-jurassien": Role.COORDINATOR,
            "pays-bassin-briey": Role.COORDINATOR,
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
        # A project contact edits the projects they are the contact of: these two.
        "contact_of": {"brest-cob": ["BC-05"], "arc-jurassien": ["FPPT-01"]},
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
        "label": "observateur ; référent financier du ST2b (mutualisation)",
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
    *[
        {
            "kind": "custom_area",
            "name": f"Territoire de proximité {name}",
            "description": "L’un des 4 territoires de proximité de la Conférence TransJurassienne "
            "où se déroulent les actions du Fonds Petits Projets Transfrontaliers. La source ne "
            "dit pas leur composition : celle-ci, un département et un canton voisins, est "
            "illustrative.",
            "members": members,
        }
        for name, members in (
            ("Nord (Territoire de Belfort – Jura)", ["departement:90", "CH:26"]),
            ("Doubs – Neuchâtel", ["departement:25", "CH:24"]),
            ("Haut-Doubs – Vaud", ["departement:25", "CH:22"]),
            ("Jura – Vaud", ["departement:39", "CH:22"]),
        )
    ],
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
    {"name": "Département des Côtes-d’Armor", "kind": "departement", "territory": "departement:22"},
    {"name": "Département du Finistère", "kind": "departement", "territory": "departement:29"},
    {"name": "Département du Morbihan", "kind": "departement", "territory": "departement:56"},
    {"name": "Communauté d’agglomération du Caudrésis et du Catésis", "kind": "epci", "territory": "epci:200030633"},
    {"name": "Communauté de communes du Pays Solesmois", "kind": "epci", "territory": "epci:245901038"},
    {"name": "CAUE du Nord", "kind": "agency", "territory": "departement:59",
     "address": "Conseil d’architecture, d’urbanisme et d’environnement du Nord, partenaire privilégié des contrats de territoire (Carnet de territoire)."},
    {"name": "Région Grand Est", "kind": "region", "territory": "region:44"},
    {"name": "Département de Meurthe-et-Moselle", "kind": "departement", "territory": "departement:54"},
    {"name": "Préfecture de Meurthe-et-Moselle", "kind": "state_service", "territory": "departement:54"},
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

# Cooperations in detail ---------------------------------------------------------------------
# Per cooperation: its stage path, period and territories, parties, milestones, documents,
# themes, strategy, working groups and proposals, as the seeds give them. A strategy node is
# (code, title, description, themes, children[, level]): code "" is automatic, "-" typed empty
# (an action the source cites without a number), anything else typed as the source prints it;
# level names the node's level where its depth would not. Proposals name their nodes by title.
GENERATED_GROUP = "Groupe généré pour la démonstration : la source cite « plus de 30 groupes de travail » sans les nommer."
GENERATED_REPRESENTATIVE = "Personne fictive : la source compte 50 représentants sans les nommer."

BREST_AXES = ("Économie et insertion", "Santé, culture et services", "Énergie et environnement")
DERIVED = (
    "Intitulé déduit de la présentation (diapositives 8 à 10) : la source ne le formule pas ainsi."
)

DETAILS: dict[str, dict[str, Any]] = {
    "brest-cob": {
        "stages": [
            ("diagnosis", None),
            ("protocol", "2015-12-14"),
            ("co_construction", None),
            ("signed", "2016-11-04"),
        ],
        "period": {"start_date": "2016-11-04"},
        "territories": ["epci:242900314", "name:Pays du Centre Ouest Bretagne"],
        "strategy_levels": "Axe / Orientation",
        "description": "Un territoire urbain et un territoire rural aux profils différents : la métropole apporte services, équipements et ingénierie ; le Pays COB, territoire de production à l’environnement préservé, peut irriguer la métropole. Les deux territoires sont labellisés Territoires à énergie positive pour la croissance verte.",
        "parties": [
            ("Brest métropole", "signatory", "le Président", None),
            ("Pays du Centre Ouest Bretagne", "signatory", "le Président", ("Yann", "Président")),
            ("Adeupa Brest-Bretagne", "partner", "", None),
            ("Région Bretagne", "associated", "", None),
            ("Département des Côtes-d’Armor", "associated", "", None),
            ("Département du Finistère", "associated", "", None),
            ("Département du Morbihan", "associated", "", None),
            ("Préfecture du Finistère", "associated", "", None),
        ],
        "milestones": [
            {
                "kind": "study",
                "title": "Étude préalable de l’Adeupa Brest-Bretagne (éléments introductifs)",
                "description": "Profils socio-économiques des deux territoires et complémentarités à valoriser.",
            },
            {
                "kind": "deliberation",
                "title": "Approbation du protocole de coopération territoriale",
                "assembly": "Instances délibérantes de Brest métropole et du Pays du Centre Ouest Bretagne",
            },
            {
                "kind": "protocol_signature",
                "title": "Signature du protocole de coopération territoriale par les Présidents",
                "date": "2015-12-14",
            },
            {
                "kind": "contract_signature",
                "title": "Signature du contrat de réciprocité en présence des partenaires",
                "date": "2016-11-04",
            },
        ],
        "references": [
            "Présentation « Contrat de réciprocité Brest Métropole / Pays du Centre Ouest Bretagne »"
        ],
        "themes": [(axis, "Le groupe de travail thématique du même nom.") for axis in BREST_AXES],
        "strategy": [
            (
                "",
                BREST_AXES[0],
                "",
                [BREST_AXES[0]],
                [
                    ("", "Valoriser la ressource en bois-énergie du Pays COB", DERIVED, [], []),
                    (
                        "",
                        "Ouvrir les productions du Pays COB aux infrastructures brestoises",
                        DERIVED,
                        [],
                        [],
                    ),
                ],
            ),
            (
                "",
                BREST_AXES[1],
                "",
                [BREST_AXES[1]],
                [
                    ("", "Conforter l’accès aux soins", DERIVED, [], []),
                    ("", "Faire monter en compétence les écoles de musique", DERIVED, [], []),
                    ("", "Favoriser la mobilité", DERIVED, [], []),
                ],
            ),
            (
                "",
                BREST_AXES[2],
                "",
                [BREST_AXES[2]],
                [
                    ("", "Partager la performance énergétique", DERIVED, [], []),
                    ("", "Échanger sur la compétence eau et assainissement", DERIVED, [], []),
                ],
            ),
        ],
        "groups": [
            {
                "name": "Développement économique et insertion",
                "theme": BREST_AXES[0],
                "representatives": 17,
            },
            {"name": "Santé, culture et services", "theme": BREST_AXES[1], "representatives": 17},
            {"name": "Énergie et environnement", "theme": BREST_AXES[2], "representatives": 16},
        ],
        "representing": ["Brest métropole", "Pays du Centre Ouest Bretagne"],
        "proposals": [
            (
                "Développement économique et insertion",
                "Référencer les producteurs de bois énergie du COB pour la chaufferie bois de Brest",
                "retained",
                ["Valoriser la ressource en bois-énergie du Pays COB"],
            ),
            (
                "Développement économique et insertion",
                "Alimenter par un réseau de chaleur les chaufferies qui desservent la métropole à partir des ressources en bois de chauffage du Pays COB",
                "retained",
                ["Valoriser la ressource en bois-énergie du Pays COB"],
            ),
            (
                "Développement économique et insertion",
                "Développer l’export de la production agro-alimentaire du Pays COB via les infrastructures portuaires brestoises",
                "retained",
                ["Ouvrir les productions du Pays COB aux infrastructures brestoises"],
            ),
            (
                "Santé, culture et services",
                "Conforter l’accès aux soins des habitants du Pays COB tout en confortant l’activité des équipements brestois : hôpital de proximité du COB avec le CHU de Brest, IFAS, IRM",
                "retained",
                ["Conforter l’accès aux soins"],
            ),
            (
                "Santé, culture et services",
                "Monter en compétence les écoles de musique du COB en partenariat avec le Conservatoire de Brest",
                "retained",
                ["Faire monter en compétence les écoles de musique"],
            ),
            (
                "Santé, culture et services",
                "Favoriser la mobilité (Mobil emploi, En route pour l’emploi, garage solidaire, auto-école sociale…)",
                "retained",
                ["Favoriser la mobilité"],
            ),
            (
                "Énergie et environnement",
                "Partager la performance énergétique de l’éclairage public",
                "retained",
                ["Partager la performance énergétique"],
            ),
            (
                "Énergie et environnement",
                "Partager la plate-forme d’accompagnement à la rénovation énergétique du bâti",
                "retained",
                ["Partager la performance énergétique"],
            ),
            (
                "Énergie et environnement",
                "Échanger sur les modalités d’exercice de la compétence eau et assainissement par les EPCI",
                "submitted",
                ["Échanger sur la compétence eau et assainissement"],
            ),
        ],
    },
    "cambresis": {
        "stages": [
            ("diagnosis", None),
            ("co_construction", None),
            ("signed", "2011-07-07"),
            ("in_progress", "2011-07-07"),
        ],
        "period": {"start_date": "2011-07-07", "duration_years": 6},
        "territories": ["name:Cambrésis"],
        "description": "Gouvernance interne : le Président, la vice-présidence à l’aménagement, le comité de pilotage et les conseillers généraux. Gouvernance partenariale : la conférence partenariale (politique), les équipes projet et les groupes techniques territoriaux (technique). L’élaboration, sur un an, passe par un diagnostic partagé, les enjeux stratégiques et orientations (Cadre d’Action Stratégique), puis le plan d’actions ; une évaluation à mi-parcours est prévue par la clause de revoyure. 8 conférences partenariales et plus de 30 groupes de travail. Déployé en 2012 à l’échelle des SCoT : Flandre maritime (17 février 2012), Sambre-Avesnois (24 avril 2012), Arrondissement de Lille (10 mai 2012), Douaisis (11 mai 2012), Flandre intérieure (10 décembre 2012), Valenciennois.",
        "parties": [
            (
                "Département du Nord",
                "signatory",
                "le Président du Conseil général",
                ("Hélène", "Présidente"),
            ),
            ("Communauté d’agglomération de Cambrai", "signatory", "", None),
            ("Communauté d’agglomération du Caudrésis et du Catésis", "signatory", "", None),
            ("Communauté de communes du Pays Solesmois", "signatory", "", None),
            ("Chambre d’agriculture du Nord-Pas de Calais", "partner", "", None),
            ("CAUE du Nord", "partner", "", None),
        ],
        "milestones": [
            {
                "kind": "deliberation",
                "title": "Politique contractuelle de développement et d’aménagement durables des territoires",
                "date": "2009-12-14",
                "assembly": "Conseil général du Nord (vote à l’unanimité)",
            },
            {
                "kind": "other",
                "title": "Signature du Cadre d’Action Stratégique",
                "description": "Conclut le diagnostic partagé et l’identification des enjeux stratégiques.",
            },
            {
                "kind": "contract_signature",
                "title": "Signature du contrat de territoire du Cambrésis (6 ans)",
                "date": "2011-07-07",
            },
            {
                "kind": "deliberation",
                "title": "Généralisation des contrats de territoire en 2012",
                "date": "2011-12-20",
                "assembly": "Conseil général du Nord (vote à l’unanimité)",
            },
            {"kind": "review", "title": "Évaluation à mi-parcours (clause de revoyure)"},
        ],
        "references": [
            "Schéma régional d’aménagement et de développement du territoire (SRADT)",
            "Schéma de cohérence territoriale (SCoT)",
            "Charte de territoire",
            "Schémas et plans départementaux",
            "Carnet de territoire du Cambrésis (CAUE du Nord)",
        ],
        "generated_groups": 31,
    },
    "arc-jurassien": {
        "stages": [("co_construction", "2017-03-27")],
        "territories": ["name:Arc jurassien"],
        "strategy_levels": "Axe / Objectif / Action",
        "description": "Présentée le 27 mars 2017 par les secrétaires généraux de la CTJ aux 21es Journées ADU’rables. Des comités de pilotage territoriaux (techniciens des collectivités, des associations, de l’État…) représentent le niveau local et opérationnel au sein du Conseil des Territoires Transfrontaliers (CTT). Outils : le Fonds Petits Projets Transfrontaliers (projets locaux de moins de 35 000 € de dimension transfrontalière, dans au moins un des 4 territoires de proximité), les Matinées de la CTJ (une à deux rencontres thématiques par an ; en 2017 : la santé), un site ressource et une plateforme de travail en ligne.",
        "parties": [
            ("Conférence TransJurassienne (CTJ)", "signatory", "", None),
            ("République et Canton du Jura", "partner", "", None),
        ],
        "milestones": [
            {
                "kind": "other",
                "title": "Présentation de la stratégie « Pour une nouvelle dynamique de l’Arc jurassien » (Journées ADU’rables)",
                "date": "2017-03-27",
            },
        ],
        "references": [
            "Présentation de la stratégie par les secrétaires généraux de la CTJ (27 mars 2017)"
        ],
        "strategy": [
            (
                "1",
                "Intitulé non donné par la source",
                "L’action 1.3 y figure.",
                [],
                [
                    (
                        "1.3",
                        "Améliorer les conditions cadres de l’activité économique",
                        "",
                        [],
                        [],
                        "Action",
                    ),
                ],
            ),
            (
                "4",
                "Renforcer le vivre-ensemble",
                "Axe 4 de la stratégie, que soutient le Fonds Petits Projets Transfrontaliers.",
                [],
                [
                    (
                        "4.1",
                        "Intitulé non donné par la source",
                        "",
                        [],
                        [
                            (
                                "4.1.2",
                                "S’appuyer sur différents publics pour promouvoir une identité partagée",
                                "",
                                [],
                                [],
                            ),
                        ],
                    ),
                    (
                        "4.2",
                        "Intitulé non donné par la source",
                        "",
                        [],
                        [
                            ("4.2.2", "Favoriser les échanges entre techniciens", "", [], []),
                            (
                                "4.2.3",
                                "Faire circuler l’information dans les territoires afin de développer le sentiment d’appartenance",
                                "",
                                [],
                                [],
                            ),
                        ],
                    ),
                    (
                        "-",
                        "Faire de l’offre culturelle un vecteur d’appartenance et d’identité",
                        "Action citée sans numéro par la source.",
                        [],
                        [],
                    ),
                    (
                        "-",
                        "Faciliter l’accès à l’information voisine et élargir sa diffusion",
                        "Action citée sans numéro par la source.",
                        [],
                        [],
                    ),
                    (
                        "-",
                        "Familiariser les décideurs avec les institutions et les politiques de chaque côté de la frontière",
                        "Action citée sans numéro par la source.",
                        [],
                        [],
                    ),
                ],
            ),
        ],
        "tables": [
            "Emploi",
            "Consommation",
            "Loisirs",
            "Engagement citoyen et vie associative",
            "Politique et institutions",
            "Enseignement, formation et recherche",
        ],
        "proposals": [
            (
                "Emploi",
                "Inciter les entreprises à favoriser le lien social entre les salariés (frontaliers / non frontaliers)",
                "retained",
                [
                    "Améliorer les conditions cadres de l’activité économique",
                    "S’appuyer sur différents publics pour promouvoir une identité partagée",
                ],
            ),
            (
                "Emploi",
                "Améliorer l’information réciproque en matière de connaissance des filières de formation, de contextes de travail et de reconnaissance des diplômes",
                "retained",
                ["Améliorer les conditions cadres de l’activité économique"],
            ),
            (
                "Consommation",
                "Encourager les marchés transfrontaliers de produits locaux",
                "retained",
                ["S’appuyer sur différents publics pour promouvoir une identité partagée"],
            ),
            (
                "Loisirs",
                "Favoriser les petits évènements locaux, créateurs de proximité et de vivre-ensemble transfrontalier",
                "retained",
                ["Faire de l’offre culturelle un vecteur d’appartenance et d’identité"],
            ),
            (
                "Loisirs",
                "Améliorer la communication transfrontalière sur les manifestations culturelles et les pratiques de loisirs, en privilégiant les évènements festifs",
                "retained",
                ["Faciliter l’accès à l’information voisine et élargir sa diffusion"],
            ),
            (
                "Engagement citoyen et vie associative",
                "Impliquer les jeunes dès les classes primaires dans les actions transfrontalières et favoriser les échanges scolaires",
                "retained",
                ["S’appuyer sur différents publics pour promouvoir une identité partagée"],
            ),
            (
                "Politique et institutions",
                "Favoriser les échanges au sein des institutions (par public : élus, parlement des jeunes, techniciens)",
                "retained",
                [
                    "Familiariser les décideurs avec les institutions et les politiques de chaque côté de la frontière",
                    "Favoriser les échanges entre techniciens",
                ],
            ),
            (
                "Politique et institutions",
                "Mettre en place un portail d’informations sur le transfrontalier ainsi qu’un forum d’échanges",
                "retained",
                [
                    "Faire circuler l’information dans les territoires afin de développer le sentiment d’appartenance"
                ],
            ),
            (
                "Enseignement, formation et recherche",
                "Développer l’information transfrontalière sur les campus et les lycées et favoriser leur mise en réseau",
                "retained",
                [
                    "S’appuyer sur différents publics pour promouvoir une identité partagée",
                    "Faire circuler l’information dans les territoires afin de développer le sentiment d’appartenance",
                ],
            ),
        ],
    },
    "pays-bassin-briey": {
        "stages": [("in_progress", None)],
        "territories": ["name:Pays du bassin de Briey"],
        "strategy_levels": "Enjeu / Mission",
        "parties": [
            ("Pays du bassin de Briey", "signatory", "", ("Jean", "Directeur")),
            ("Préfecture de Meurthe-et-Moselle", "funder", "", None),
            ("Région Grand Est", "funder", "", None),
            ("Département de Meurthe-et-Moselle", "funder", "", None),
            ("ST2b — syndicat mixte des transports du bassin de Briey", "partner", "", None),
            ("SCoT Nord 54", "associated", "", None),
        ],
        "strategy": [
            ("", "Le développement économique", "", [], []),
            (
                "",
                "La valorisation du cadre de vie et de l’offre de logements pour renforcer l’attractivité du territoire",
                "",
                [],
                [],
            ),
            (
                "",
                "L’amélioration des services, quelle que soit leur nature, dans la gamme offerte et dans leur accessibilité physique ou dématérialisée",
                "",
                [],
                [],
            ),
            (
                "",
                "Le renforcement de la cohésion sociale au sein du territoire et de la solidarité entre toutes les parties du pays",
                "",
                [],
                [],
            ),
            (
                "M",
                "Les missions du Pays",
                "Pour décliner la stratégie du territoire.",
                [],
                [
                    (
                        "",
                        "Fédérer et mobiliser les forces vives au service du développement du territoire",
                        "",
                        [],
                        [],
                    ),
                    ("", "Animer le territoire et accompagner les porteurs de projets", "", [], []),
                    (
                        "",
                        "Assurer l’ingénierie des projets et veiller à la mise en œuvre du projet de territoire",
                        "",
                        [],
                        [],
                    ),
                    (
                        "",
                        "L’anticipation, la prospective : apporter une réflexion globale sur l’avenir du territoire",
                        "",
                        [],
                        [],
                    ),
                ],
            ),
        ],
    },
    "briey-st2b": {
        "stages": [("signed", None)],
        "territories": ["name:Pays du bassin de Briey"],
        "parties": [
            ("Pays du bassin de Briey", "signatory", "", None),
            ("ST2b — syndicat mixte des transports du bassin de Briey", "signatory", "", None),
            ("SCoT Nord 54", "associated", "", None),
        ],
        "milestones": [
            {
                "kind": "study",
                "title": "Étude de faisabilité préfigurant un schéma des transports collectifs",
                "description": "Initiée par le Pays ; elle a conduit à la création du ST2b.",
            },
            {
                "kind": "contract_signature",
                "title": "Signature de la convention d’assistance et de moyens",
                "description": "La source laisse la date en blanc.",
            },
        ],
    },
    "ads-cambrai": {
        "stages": [("signed", None), ("in_progress", None)],
        "territories": ["epci:200068500"],
        "parties": [("Communauté d’agglomération de Cambrai", "signatory", "", None)],
    },
    "belledonne-grenoble": {
        "stages": [("diagnosis", None)],
        "territories": ["name:Espace Belledonne", "epci:200040715"],
        "parties": [
            ("Espace Belledonne", "partner", "", None),
            ("Grenoble-Alpes-Métropole", "partner", "", None),
            ("Cap Rural", "observer", "", None),
        ],
        "milestones": [
            {
                "kind": "other",
                "title": "Présentation des pistes de coopération à l’étude à la session d’exploration de Cap Rural",
                "date": "2016-12-06",
                "description": "Par le vice-président et la directrice de l’Espace Belledonne et le service Coopération territoriale de Grenoble Alpes Métropole, près de la gare de Valence TGV.",
            },
        ],
    },
}

# Projects -----------------------------------------------------------------------------------
ILLUSTRATIVE = "Plan de financement illustratif : les montants ne viennent pas des sources."
GENERATED_PROJECT = (
    "Projet généré pour la démonstration : la source compte 280 projets sans tous les nommer."
)
CHF_RATE = ("2025-01-01", "1.06", "Taux illustratif de la démonstration")

# (code, title, owner, status, structuring, proposal title or None, financing lines)
# A financing line: (funder, programme code, amount, currency, status).
PROJECTS: dict[str, list[tuple]] = {
    "brest-cob": [
        (
            "BC-01",
            "Référencement des producteurs de bois énergie du COB pour la chaufferie bois de Brest",
            "Pays du Centre Ouest Bretagne",
            "engaged",
            False,
            "Référencer les producteurs de bois énergie du COB pour la chaufferie bois de Brest",
            [
                ("Brest métropole", "autofinancement", "40000", "EUR", "granted"),
                ("Région Bretagne", "cper", "60000", "EUR", "requested"),
            ],
        ),
        (
            "BC-02",
            "Réseau de chaleur alimenté par le bois de chauffage du Pays COB",
            "Brest métropole",
            "study",
            True,
            "Alimenter par un réseau de chaleur les chaufferies qui desservent la métropole à partir des ressources en bois de chauffage du Pays COB",
            [
                ("Brest métropole", "autofinancement", "250000", "EUR", "planned"),
                ("Région Bretagne", "feder", "400000", "EUR", "planned"),
            ],
        ),
        (
            "BC-03",
            "Export de la production agro-alimentaire du Pays COB via le port de Brest",
            "Pays du Centre Ouest Bretagne",
            "study",
            False,
            "Développer l’export de la production agro-alimentaire du Pays COB via les infrastructures portuaires brestoises",
            [],
        ),
        (
            "BC-04",
            "Accès aux soins : hôpital de proximité du COB avec le CHU de Brest, IFAS, IRM",
            "CHU de Brest",
            "engaged",
            True,
            "Conforter l’accès aux soins des habitants du Pays COB tout en confortant l’activité des équipements brestois : hôpital de proximité du COB avec le CHU de Brest, IFAS, IRM",
            [
                ("CHU de Brest", "autofinancement", "500000", "EUR", "granted"),
                ("Région Bretagne", "cper", "300000", "EUR", "paid"),
            ],
        ),
        (
            "BC-05",
            "Écoles de musique du COB et Conservatoire de Brest",
            "Conservatoire de Brest métropole",
            "engaged",
            False,
            "Monter en compétence les écoles de musique du COB en partenariat avec le Conservatoire de Brest",
            [("Brest métropole", "autofinancement", "15000", "EUR", "paid")],
        ),
        (
            "BC-06",
            "Mobilité vers l’emploi : Mobil emploi, En route pour l’emploi, garage solidaire, auto-école sociale",
            "Pays du Centre Ouest Bretagne",
            "ready",
            False,
            "Favoriser la mobilité (Mobil emploi, En route pour l’emploi, garage solidaire, auto-école sociale…)",
            [("Département du Finistère", "autre", "30000", "EUR", "requested")],
        ),
        (
            "BC-07",
            "Performance énergétique de l’éclairage public",
            "Brest métropole",
            "completed",
            False,
            "Partager la performance énergétique de l’éclairage public",
            [],
        ),
        (
            "BC-08",
            "Plate-forme d’accompagnement à la rénovation énergétique du bâti",
            "Brest métropole",
            "engaged",
            False,
            "Partager la plate-forme d’accompagnement à la rénovation énergétique du bâti",
            [("Région Bretagne", "feder", "80000", "EUR", "granted")],
        ),
    ],
    "arc-jurassien": [
        (
            "FPPT-01",
            "Portail d’informations sur le transfrontalier et forum d’échanges",
            "Conférence TransJurassienne (CTJ)",
            "study",
            False,
            "Mettre en place un portail d’informations sur le transfrontalier ainsi qu’un forum d’échanges",
            [
                ("Conférence TransJurassienne (CTJ)", "fppt", "20000", "EUR", "planned"),
                ("République et Canton du Jura", "autre", "12000", "CHF", "planned"),
            ],
        ),
        (
            "FPPT-02",
            "Marché transfrontalier de produits locaux",
            "Conférence TransJurassienne (CTJ)",
            "idea",
            False,
            "Encourager les marchés transfrontaliers de produits locaux",
            [],
        ),
    ],
    "pays-bassin-briey": [
        (
            "LEADER",
            "Mise en œuvre du programme LEADER du Pays du bassin de Briey",
            "Pays du bassin de Briey",
            "engaged",
            True,
            None,
            [("Région Grand Est", "leader", "1300000", "EUR", "granted")],
        ),
    ],
}

# The Cambrésis action plan: 280 projects, 12 departmental major works, 91 already engaged.
CAMBRESIS_MAJOR_WORKS = [
    "Contournement du Cateau",
    "Collège à Cambrai, dans le cadre d’un projet global autour de la gare",
    "Aménagement d’un espace naturel sensible",
]
CAMBRESIS_NAMED = [
    ("Laboratoire culturel de Cambrai", "Communauté d’agglomération de Cambrai"),
    (
        "Pôle économique sur l’habitat durable du Pays Solesmois",
        "Communauté de communes du Pays Solesmois",
    ),
    ("Musée de la Dentelle (Caudry 4M)", "Communauté d’agglomération du Caudrésis et du Catésis"),
    ("Maison médicale", "Communauté d’agglomération de Cambrai"),
    ("Béguinage en éco-quartier", "Communauté d’agglomération du Caudrésis et du Catésis"),
    ("Espace multi-services en milieu rural", "Communauté de communes du Pays Solesmois"),
    ("École supérieure d’Arts de Cambrai", "Communauté d’agglomération de Cambrai"),
]
CAMBRESIS_TOTAL, CAMBRESIS_STRUCTURING, CAMBRESIS_ENGAGED = 280, 12, 91

# Governance ---------------------------------------------------------------------------------
# An event of Cap Rural, the regional resource centre (seed 003), on its own page: not a
# cooperation's meeting.
CAP_RURAL_SESSION: dict[str, Any] = {
    "organiser": "Cap Rural",
    "title": "Session d’exploration « Contrat de réciprocité ville-campagne : nouvelle opportunité pour mieux coopérer ? »",
    "kind": "workshop",
    "start": ("2016-12-06", "09:30"),
    "end": ("2016-12-06", "17:00"),
    "place": "À proximité de la gare de Valence TGV (26)",
    "capacity": 20,
    "registration_deadline": ("2016-11-30", "23:59"),
    "registration_condition": "Participation soumise à la cotisation annuelle à Cap Rural.",
    # Questions written for the demonstration (the source asks none).
    "registration_questions": "Votre fonction ?\nVenez-vous en train (gare de Valence TGV) ?",
    "open_registration": True,
    "description": (
        "Contact : Dominique Bernier, cooperationsentreacteurs@caprural.org.\n\n"
        "Programme et intervenants :"
    ),
}
BREST_COMMITTEE: dict[str, Any] = {
    "name": "Comité de suivi du contrat de réciprocité",
    "kind": "monitoring_committee",
    "purpose": "Examiner la progression des projets inscrits au contrat de réciprocité et leurs liens avec les dispositifs contractuels ; échanger sur la progression des contrats de réciprocité dans les autres territoires de l’expérimentation.",
    "composition": "Brest métropole et le Pays du Centre Ouest Bretagne, associant les Départements, la Région et l’État.",
    "meetings_per_year": 1,
    "members": [
        (("Yann", "Président"), "Pays du Centre Ouest Bretagne", "president"),
        (("Étienne", "Élu"), "Brest métropole", "vice_president"),
        (("Fanny", "Financeuse"), "Région Bretagne", "member"),
    ],
}
# The seed says the committee meets at least once a year; the dates are the demo's.
BREST_COMMITTEE_MEETINGS = [f"{year}-11-15" for year in range(2017, 2026)] + ["2026-12-10"]
DEMO_DATE = "Date retenue pour la démonstration : la source fixe la règle (au moins une fois par an), pas les dates."

# Decisions of the Brest–COB committee (illustrative: the seed gives the committee's role, not
# its decisions): (year, project code, kind, text, new status).
BREST_DECISIONS = [
    (
        2017,
        "BC-01",
        "programming",
        "Le comité de suivi engage le référencement des producteurs de bois énergie (décision illustrative).",
        "engaged",
    ),
    (
        2017,
        "BC-04",
        "opinion",
        "Avis favorable au rapprochement de l’hôpital de proximité du COB avec le CHU de Brest (décision illustrative).",
        "",
    ),
    (
        2018,
        "BC-05",
        "programming",
        "Le comité de suivi engage le partenariat des écoles de musique avec le Conservatoire (décision illustrative).",
        "engaged",
    ),
]
BREST_MINUTES_2017 = "Relevé de décisions du comité de suivi 2017 (illustratif) : progression des projets inscrits au contrat, liens avec les dispositifs contractuels, échanges sur les autres contrats de réciprocité de l’expérimentation."

# Cambrésis: the bodies of its elaboration (seed 001) and the 8 partnership conferences.
CAMBRESIS_BODIES = [
    (
        "Comité de pilotage",
        "steering_committee",
        "Gouvernance interne du Département : le Président, la vice-présidence à l’aménagement, les conseillers généraux.",
    ),
    (
        "Conférence partenariale",
        "partnership_conference",
        "Gouvernance partenariale, niveau politique : débat et validation entre les élus du territoire et du Conseil général.",
    ),
    ("Équipes projet", "project_team", "Gouvernance partenariale, niveau technique."),
    (
        "Groupes techniques territoriaux",
        "technical_group",
        "Travail partenarial entre le Département et les techniciens du territoire.",
    ),
]
CAMBRESIS_CONFERENCES = [
    "2010-09-15",
    "2010-10-20",
    "2010-11-24",
    "2011-01-19",
    "2011-02-23",
    "2011-03-23",
    "2011-04-20",
    "2011-06-01",
]

# The CTJ: territorial steering committees, the CTT, the 2017 Matinée on health.
CTJ_BODIES = [
    (
        "Comités de pilotage territoriaux",
        "steering_committee",
        "Techniciens des collectivités, des associations, de l’État… : le niveau local et opérationnel, représenté au sein du CTT. Composition variable selon la structuration des territoires.",
    ),
    (
        "Conseil des Territoires Transfrontaliers (CTT)",
        "council",
        "Articule les comités de pilotage territoriaux avec la Conférence TransJurassienne.",
    ),
]
CTJ_MATINEE = {
    "title": "Matinée de la CTJ 2017 : la santé",
    "kind": "conference",
    "day": "2017-06-01",
    "place": "Lieu à définir : le Nord-Franche-Comté ? (lien avec l’hôpital médian)",
    "description": "Rencontre thématique techniciens / élus : convention-cadre, publication de l’OSTAJ… "
    + DEMO_DATE.replace("(au moins une fois par an)", "(une à deux Matinées par an)"),
}

# Cap Rural's programme of speakers (seed 003), in the session's description and its document.
GENERATED_DOCUMENT = (
    "Document écrit pour la démonstration à partir du programme de la source (seed 003)."
)
CAP_RURAL_AGENDA = [
    (
        "Rapide état des lieux de l’expérimentation sur les contrats de réciprocité ville-campagne",
        "",
    ),
    (
        "Élaboration et mise en œuvre du contrat de réciprocité entre Brest Métropole Océane et le Pays Centre Ouest Bretagne — témoignage par visioconférence",
        "Jean-Pierre Caroff, chargé de mission auprès du président de Brest Métropole Océane ; Jean-Charles Lollier, chargé de mission auprès du président du Pays Centre Ouest Bretagne ; Geneviève Le Meur, directrice du Pays Centre Ouest Bretagne ; François Keraval, directeur adjoint – Mission Stratégie et Prospective, Brest Métropole et Ville (sous réserve).",
    ),
    (
        "Panorama d’expériences et d’outils pour développer des coopérations",
        "Vincent Chassagne, expert associé Mairie-conseils – Caisse des Dépôts.",
    ),
    (
        "Pistes de coopérations à l’étude entre l’Espace Belledonne et Grenoble Alpes Métropole",
        "Bruno Caraguel, vice-président de l’Espace Belledonne ; Sophie Guoin, directrice de l’association Espace Belledonne ; Alexandre Mignotte, chargé de mission, service Coopération territoriale, Grenoble Alpes Métropole.",
    ),
    (
        "Vers des écosystèmes territoriaux ? Travaux et observations du Collectif Ville Campagne",
        "Jean-Yves Pineau.",
    ),
    (
        "Réflexion collective : conditions et modalités pour faire émerger et organiser des coopérations villes-campagnes",
        "",
    ),
]
