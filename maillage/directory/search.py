"""What the directory puts in the search (core.search): organisations, public facts (people
are personal data: never in the search)."""

from django.utils.translation import gettext_lazy as _

from maillage.core.search import Indexed, SearchSource, register
from maillage.directory.models import Organisation


def _organisation(organisation: Organisation) -> Indexed:
    return Indexed(
        title=organisation.name,
        text="\n".join([organisation.get_kind_display(), organisation.siren, organisation.address]),
    )


register(
    SearchSource(
        key="organisation",
        label=_("Structures"),
        model=Organisation,
        describe=_organisation,
        readable=lambda user: Organisation.objects.all(),
        rows=Organisation.objects.all,
    )
)
