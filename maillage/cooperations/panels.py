"""The cooperations app's panels on the pages of lower apps (core.panels): the cooperations
a reader may see that cover a territory, or in which an organisation takes part."""

from django.template.loader import render_to_string

from maillage.cooperations import selectors
from maillage.core.panels import panel


def _related(request, filters: selectors.CooperationFilters) -> str:
    return render_to_string(
        "cooperations/includes/related.html",
        {"cooperations": selectors.cooperation_list(user=request.user, filters=filters)},
        request,
    )


@panel("territories.territory")
def territory_cooperations(request, territory) -> str:
    return _related(request, selectors.CooperationFilters(territory=territory.pk))


@panel("directory.organisation")
def organisation_cooperations(request, organisation) -> str:
    return _related(request, selectors.CooperationFilters(party=organisation.pk))
