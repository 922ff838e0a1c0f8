import itertools

from maillage.territories.models import Territory, TerritoryMembership

_codes = itertools.count(90000)


def grow_communes_in(container: Territory, n: int) -> None:
    for _ in range(n):
        code = str(next(_codes))
        commune = Territory.objects.create(
            kind="commune", code=code, name=f"Commune {code}", population=100
        )
        TerritoryMembership.objects.create(
            container=container, member=commune, source="cog_communes"
        )
