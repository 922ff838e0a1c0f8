"""A convention between parties of a cooperation, each standing for a commune of a given
population, and a year's costs and keys, for the tests and the benchmark."""

import itertools
from decimal import Decimal

from maillage.cooperations.enums import PartyRole
from maillage.cooperations.models import Cooperation, Party
from maillage.directory.models import Organisation
from maillage.mutualisation import services
from maillage.mutualisation.enums import ComponentKind, ConventionKind, CostSource, ItemKind
from maillage.mutualisation.models import AllocationYear, Convention, ConventionParty, SharedItem
from maillage.territories.models import Territory

_codes = itertools.count(70000)


def party_of(cooperation: Cooperation, name: str, population: int | None) -> Party:
    territory = Territory.objects.create(
        kind="commune",
        code=str(next(_codes)),
        name=name,
        population=population,
        population_year=2022,
    )
    organisation = Organisation.objects.create(
        name=name, kind="local_authority", territory=territory
    )
    return Party.objects.create(
        cooperation=cooperation, organisation=organisation, role=PartyRole.SIGNATORY
    )


def convention_between(
    cooperation: Cooperation, populations: dict[str, int | None], **fields
) -> tuple[Convention, list[ConventionParty]]:
    """A convention whose parties are named and peopled as `populations` says."""
    convention = services.convention_create(
        actor=None,
        cooperation=cooperation,
        title=fields.pop("title", "Convention de mise à disposition"),
        kind=fields.pop("kind", ConventionKind.COMMON_SERVICE),
        **fields,
    )
    members = [
        services.convention_party_add(
            actor=None, convention=convention, party=party_of(cooperation, name, population)
        )
        for name, population in populations.items()
    ]
    return convention, members


def item_costing(
    year: AllocationYear, provider: ConventionParty, name: str, **amounts: str
) -> SharedItem:
    """A shared service of `provider`, with this year's cost components (`staff="1000.00"`)."""
    item = services.item_create(
        actor=None, convention=year.convention, name=name, kind=ItemKind.SERVICE, provider=provider
    )
    for component, amount in amounts.items():
        services.cost_add(
            actor=None,
            year=year,
            item=item,
            component=ComponentKind(component),
            source=CostSource.ACCOUNTS,
            amount=Decimal(amount),
        )
    return item
