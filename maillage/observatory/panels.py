"""The observatory's panels: on a territory's page, the way to its profile; on a
cooperation's page, its parties' territories side by side and the flows between them (and
abroad), on a map and in tables."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from maillage.cooperations.enums import PartyRole
from maillage.cooperations.models import Cooperation, Party
from maillage.core.enums import Visibility
from maillage.core.panels import panel
from maillage.observatory import selectors
from maillage.observatory.maps import Map, pair_flow_map
from maillage.territories.models import Territory


@panel("territories.territory")
def territory_profile_link(request, territory) -> str:
    return render_to_string(
        "observatory/includes/territory_panel.html", {"territory": territory}, request
    )


# The parties that make a cooperation's area; those associated, funding or observing do not.
AREA_ROLES = (PartyRole.SIGNATORY, PartyRole.PARTNER)


def party_territories(cooperation) -> list[Territory]:
    """The territories of the parties that make the cooperation (signatories and partners;
    all of them when none is), each once, at most as many as a comparison takes."""
    parties = list(cooperation.parties.select_related("territory").order_by("pk"))
    making = [p for p in parties if p.role in AREA_ROLES] or parties
    territories = [p.territory for p in making if p.territory is not None]
    return list(dict.fromkeys(territories))[: selectors.MAX_COMPARED]


@panel("cooperations.cooperation")
def cooperation_area(request, cooperation) -> str:
    parties = party_territories(cooperation)
    if not parties:
        return ""
    dataset = selectors.dataset_for()
    flows = None
    if dataset is not None:
        abroad = list(selectors.countries_abroad())
        matrix = selectors.flow_matrix([*parties, *abroad], dataset)
        reached = [
            country for country in abroad if any(matrix.get((p.pk, country.pk)) for p in parties)
        ]
        columns = [*parties, *reached]
        flows = {
            "dataset": dataset,
            "columns": columns,
            "rows": [(o, [matrix.get((o.pk, d.pk), 0.0) for d in columns]) for o in parties],
            "map": pair_flow_map(parties, matrix, dataset),
        }
    ids = urlencode([("t", t.pk) for t in parties])
    return render_to_string(
        "observatory/includes/cooperation_panel.html",
        {
            "cooperation": cooperation,
            "comparison": selectors.comparison(parties),
            "flows": flows,
            "compare_url": reverse("observatory:compare") + "?" + ids,
            "flows_url": reverse("observatory:flows") + "?" + ids,
        },
        request,
    )


HOME_MAP_TERRITORIES = 50  # as many outlines as the outlines endpoint draws at once


@panel("portal.home")
def cooperations_map(request, _obj) -> str:
    """The home page's map: the territories of the public cooperations' parties (those that
    make each cooperation, as on its page), with the list naming them — one query."""
    parties = (
        Party.objects.filter(
            cooperation__visibility=Visibility.PUBLIC,
            role__in=AREA_ROLES,
            territory__isnull=False,
        )
        .select_related("cooperation", "territory")
        .order_by("cooperation__title", "pk")
    )
    by_cooperation: dict[Cooperation, list[Territory]] = {}
    for party in parties:
        territories = by_cooperation.setdefault(party.cooperation, [])
        if party.territory is not None and party.territory not in territories:
            territories.append(party.territory)
    shown = list(dict.fromkeys(t for ts in by_cooperation.values() for t in ts))
    shown = shown[:HOME_MAP_TERRITORIES]
    if not shown:
        return ""
    area = Map(
        title=_("Les territoires des coopérations publiques"),
        description=_(
            "Les contours des territoires qui font chaque coopération publique ; la liste qui "
            "suit les nomme, coopération par coopération."
        ),
        outlines_url=reverse("observatory:outlines")
        + "?"
        + urlencode([("id", t.pk) for t in shown]),
    )
    return render_to_string(
        "observatory/includes/home_map.html",
        {"map": area, "cooperations": list(by_cooperation.items())},
        request,
    )
