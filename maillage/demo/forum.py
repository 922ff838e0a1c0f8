"""The demo's forum: a space per thematic table of the CTJ (seed 002 asks for "un forum
d'échanges", action 4.2.3), a members' space of Brest–COB and a theme of the platform. Every
message is written for the demonstration and says so."""

from typing import Any

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation
from maillage.core.enums import Visibility
from maillage.forum import services

DEMO = " (Message de démonstration.)"

# Per table of the CTJ: a first thread, its opening message and the replies (author e-mails).
TABLE_THREADS: dict[str, dict[str, Any]] = {
    "Emploi": {
        "title": "Reconnaissance des diplômes de part et d’autre de la frontière",
        "author": "fonds@maillage.test",
        "body": "Quelles démarches pour faire reconnaître un diplôme français en Suisse ?",
        "replies": [
            ("porteur@maillage.test", "Le point de contact de l’ARC les décrit métier par métier."),
        ],
        "solved": True,
    },
    "Engagement citoyen et vie associative": {
        "title": "Impliquer les classes primaires dans les échanges transfrontaliers",
        "author": "fonds@maillage.test",
        "body": (
            "La table propose d’impliquer les jeunes dès les classes primaires (action 4.1.2) : "
            "quelles écoles seraient partantes pour un premier échange ?"
        ),
        "replies": [
            ("porteur@maillage.test", "Deux écoles du Haut-Doubs se sont déjà manifestées."),
        ],
        "solved": False,
    },
    "Politique et institutions": {
        "title": "Un portail d’informations et un forum d’échanges (action 4.2.3)",
        "author": "fonds@maillage.test",
        "body": (
            "Ce forum répond à la proposition de la table : faire circuler l’information "
            "dans les territoires. Dites-nous ce qui vous manque pour l’utiliser."
        ),
        "replies": [],
        "solved": False,
    },
    "Enseignement, formation et recherche": {
        "title": "Mettre en réseau les campus et les lycées",
        "author": "porteur@maillage.test",
        "body": "Qui recense déjà l’information transfrontalière diffusée dans les lycées ?",
        "replies": [],
        "solved": False,
    },
}


def load_forum(cooperations: dict[str, Cooperation]) -> None:
    users = {user.email: user for user in User.objects.all()}
    ctj = cooperations["arc-jurassien"]
    for group in ctj.working_groups.filter(name__in=TABLE_THREADS).order_by("name"):
        space = services.space_create(
            actor=None,
            cooperation=ctj,
            working_group=group,
            title=f"Table « {group.name} »",
            description="Les échanges de la table thématique, ouverts à tous les acteurs.",
            visibility=Visibility.PUBLIC,
        )
        _thread(space, TABLE_THREADS[group.name], users)
    brest = services.space_create(
        actor=None,
        cooperation=cooperations["brest-cob"],
        title="Préparer le comité de suivi",
        description="Entre partenaires du contrat de réciprocité.",
        visibility=Visibility.PARTNERS,
    )
    _thread(
        brest,
        {
            "title": "Ordre du jour du prochain comité",
            "author": "coordination@maillage.test",
            "body": "Quels points souhaitez-vous inscrire à l’ordre du jour ?",
            "replies": [("elu@maillage.test", "Le point d’étape sur le bois énergie.")],
            "solved": True,
        },
        users,
    )
    platform = services.space_create(
        actor=None,
        cooperation=None,
        title="Coopérations ville-campagne",
        description="Questions et retours d’expérience entre territoires, ouverts à tous.",
    )
    _thread(
        platform,
        {
            "title": "Par où commencer un contrat de réciprocité ?",
            "author": "coordination@maillage.test",
            "body": "Vos conseils pour une première rencontre entre élus de la ville et du rural ?",
            "replies": [
                ("elu@maillage.test", "Partir d’un sujet concret : la santé ou l’énergie."),
            ],
            "solved": False,
        },
        users,
    )


def _thread(space, facts: dict[str, Any], users: dict[str, User]) -> None:
    thread = services.thread_create(
        actor=users[facts["author"]],
        space=space,
        title=facts["title"],
        body=facts["body"] + DEMO,
    )
    last = None
    for email, body in facts["replies"]:
        last = services.post_reply(actor=users[email], thread=thread, body=body + DEMO)
    if facts["solved"] and last is not None:
        services.thread_solve(actor=users[facts["author"]], thread=thread, post=last)
