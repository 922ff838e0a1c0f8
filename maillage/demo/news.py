"""The demo's news — the signatures the seeds date, and a word from the platform, written
through the services, then dated back to when they happened — and its resource centre."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from maillage.cooperations.models import Cooperation
from maillage.core import search
from maillage.core.enums import Visibility
from maillage.directory.models import Organisation
from maillage.portal import services
from maillage.portal.models import News

PARIS = ZoneInfo("Europe/Paris")
NEWS: list[dict[str, Any]] = [
    {
        "cooperation": "brest-cob",
        "title": "Brest métropole et le Pays COB signent leur contrat de réciprocité",
        "summary": (
            "Le 4 novembre 2016, Brest métropole et le Pays du Centre Ouest Bretagne signent "
            "l’un des premiers contrats de réciprocité ville-campagne de France."
        ),
        "body": (
            "Le contrat engage les deux territoires sur des coopérations concrètes : "
            "énergies renouvelables et bois énergie, santé, culture, mobilités vers "
            "l’emploi, tourisme.\n\nLes pistes de coopération, le comité de suivi et les "
            "projets sont suivis sur Maillage. (Texte de démonstration.)"
        ),
        "published": datetime(2016, 11, 4, 11, 0, tzinfo=PARIS),
    },
    {
        "cooperation": "cambresis",
        "title": "Le Contrat de territoire du Cambrésis est signé",
        "summary": (
            "Le 7 juillet 2011, le Département du Nord et ses partenaires signent le "
            "Contrat de territoire du Cambrésis, le premier du Nord."
        ),
        "body": (
            "Signé pour six ans, le contrat décline le Cadre d’Action Stratégique en un plan "
            "d’actions, avec une clause de revoyure à mi-parcours. (Texte de démonstration.)"
        ),
        "published": datetime(2011, 7, 7, 12, 0, tzinfo=PARIS),
    },
    {
        "cooperation": None,
        "title": "Les coopérations entre territoires en un seul lieu",
        "summary": (
            "Contrats de réciprocité, contrats de territoire, stratégies transfrontalières : "
            "les coopérations de la démonstration, leurs projets, leurs instances et leurs "
            "chiffres."
        ),
        "body": "Ce site est une démonstration : ses données sont en partie illustratives.",
        "published": None,  # published as the demo loads
    },
]


def load_news(cooperations: dict[str, Cooperation]) -> None:
    for facts in NEWS:
        slug = facts["cooperation"]
        news = services.news_create(
            actor=None,
            cooperation=cooperations[slug] if slug else None,
            title=facts["title"],
            summary=facts["summary"],
            body=facts["body"],
        )
        services.news_publish(actor=None, news=news)
        if facts["published"] is not None:
            News.objects.filter(pk=news.pk).update(published_at=facts["published"])
    search.reindex(News)  # the dates set above


# The resource centre: the CTJ's resources (seed 002: "annuaire ; textes et réglementations ;
# power-points ; compte-rendu") and Cap Rural's. Their files are written for the demonstration.
RESOURCES: list[dict[str, Any]] = [
    {
        "cooperation": "arc-jurassien",
        "organisation": None,
        "title": "Matinée santé 2017 : convention-cadre et publication de l’OSTAJ",
        "kind": "text",
        "themes": "santé, transfrontalier",
        "date": date(2017, 6, 1),
        "text": (
            "Ressources de la Matinée de la CTJ sur la santé : la convention-cadre de "
            "coopération sanitaire et la publication de l’Observatoire statistique "
            "transfrontalier de l’Arc jurassien (OSTAJ). Document écrit pour la démonstration."
        ),
    },
    {
        "cooperation": "arc-jurassien",
        "organisation": None,
        "title": "La stratégie de la CTJ présentée aux Journées ADU’rables",
        "kind": "presentation",
        "themes": "stratégie, gouvernance",
        "date": date(2017, 3, 27),
        "text": (
            "Présentation de la stratégie de coopération transfrontalière par les secrétaires "
            "généraux de la CTJ, 21es Journées ADU’rables. Document écrit pour la démonstration."
        ),
    },
    {
        "cooperation": None,
        "organisation": "Cap Rural",
        "title": "Coopérations ville-campagne : repères pour une session d’exploration",
        "kind": "tool",
        "themes": "réciprocité, ville-campagne",
        "date": date(2016, 12, 6),
        "text": (
            "Repères de Cap Rural pour faire émerger et organiser des coopérations entre villes "
            "et campagnes. Document écrit pour la démonstration."
        ),
    },
]


def load_resources(cooperations: dict[str, Cooperation]) -> None:
    for facts in RESOURCES:
        slug, name = facts["cooperation"], facts["organisation"]
        services.resource_create(
            actor=None,
            cooperation=cooperations[slug] if slug else None,
            organisation=Organisation.objects.get(name=name) if name else None,
            title=facts["title"],
            kind=facts["kind"],
            themes=facts["themes"],
            date=facts["date"],
            file=ContentFile(facts["text"].encode(), name="ressource.txt"),
            visibility=Visibility.PUBLIC,
        )
