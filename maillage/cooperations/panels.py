"""The cooperations app's panels on the pages of lower apps (core.panels): the cooperations
a reader may see that cover a territory, or in which an organisation takes part."""

from django.template.loader import render_to_string

from maillage.cooperations import selectors
from maillage.core.panels import panel


@panel("territories.territory")
def territory_cooperations(request, territory) -> str:
    filters = selectors.CooperationFilters(territory=territory.pk)
    return render_to_string(
        "cooperations/includes/related.html",
        {"cooperations": selectors.cooperation_list(user=request.user, filters=filters)},
        request,
    )


@panel("directory.organisation")
def organisation_cooperations(request, organisation) -> str:
    filters = selectors.CooperationFilters(party=organisation.pk)
    return render_to_string(
        "cooperations/includes/related.html",
        {"cooperations": selectors.cooperation_list(user=request.user, filters=filters)},
        request,
    )
