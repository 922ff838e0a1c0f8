"""The cooperations app's panels on the pages of lower apps (core.panels): the cooperations
a reader may see that cover a territory, or in which an organisation takes part; and who is a
person of a cooperation for the directory (its working groups, its parties' signatories)."""

from django.template.loader import render_to_string

from maillage.cooperations import selectors
from maillage.cooperations.models import Party, WorkingGroupMember
from maillage.core.panels import panel
from maillage.directory.permissions import people_through

people_through(WorkingGroupMember.objects.all(), "group__cooperation", "person")
people_through(Party.objects.filter(signatory__isnull=False), "cooperation", "signatory")


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
