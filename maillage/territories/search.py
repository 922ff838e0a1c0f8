"""What the referential puts in the search (core.search): current territories, public."""

from django.utils.translation import gettext_lazy as _

from maillage.core.search import Indexed, SearchSource, register
from maillage.territories.models import Territory


def _territory(territory: Territory) -> Indexed:
    return Indexed(
        title=f"{territory.name} ({territory.code})" if territory.code else territory.name,
        text="\n".join([str(territory.get_kind_display()), territory.description]),
    )


register(
    SearchSource(
        key="territory",
        label=_("Territoires"),
        model=Territory,
        describe=_territory,
        readable=lambda user: Territory.objects.current(),
        rows=lambda: Territory.objects.current(),
    )
)
