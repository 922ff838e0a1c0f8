"""The observatory's panels: on a territory's page, the way to its profile; on a
cooperation's page, its parties' territories side by side and the flows between them (and
abroad), on a map and in tables."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from maillage.cooperations.enums import PartyRole
from maillage.core.panels import panel
from maillage.observatory import selectors
from maillage.observatory.maps import pair_flow_map
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
