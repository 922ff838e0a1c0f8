"""The observatory's writes beyond its importers: an area's outline, made from its communes'
when first asked for and made again when its composition has changed."""

from collections.abc import Sequence

from maillage.observatory import geometry
from maillage.observatory.models import Boundary
from maillage.observatory.selectors import communes_by_root
from maillage.territories.enums import COMMUNE_LEVEL_KINDS
from maillage.territories.models import Territory

# Ids per query (SQLite takes at most 32 766 parameters).
CHUNK = 5000
# The largest area whose outline is made (a région has up to about 5 100 communes; France's
# 35 000 would hold a request for many seconds, for a map nobody reads at that scale).
MAX_UNION_COMMUNES = 6000


def outlines_of(territories: Sequence[Territory]) -> dict[int, Boundary]:
    """The outlines of territories: a commune's as imported; an area's (EPCI, Pays,
    département, cooperation area…) the union of its communes', stored with the key of those
    communes and made again when they are no longer the same — whoever changed the
    composition (a person, an import, the admin). Two queries when nothing changed, one more
    for the communes' outlines of the areas to make, and one write per area made; an area
    none of whose communes has an outline has none, nor one of more than
    MAX_UNION_COMMUNES communes."""
    communes = communes_by_root(territories)
    stored = Boundary.objects.in_bulk([t.pk for t in territories])
    found: dict[int, Boundary] = {}
    stale: list[tuple[Territory, list[int], str]] = []
    for territory in territories:
        current = stored.get(territory.pk)
        if territory.kind in COMMUNE_LEVEL_KINDS:
            if current is not None:
                found[territory.pk] = current
            continue
        ids = communes.get(territory.pk, [])
        key = geometry.communes_key(ids)
        if current is not None and current.derived and current.communes_key == key:
            found[territory.pk] = current
        elif len(ids) <= MAX_UNION_COMMUNES:
            stale.append((territory, ids, key))
    if stale:
        wanted = sorted({pk for _t, ids, _k in stale for pk in ids})
        geometries: dict[int, bytes] = {}
        for start in range(0, len(wanted), CHUNK):  # a région has thousands of communes
            chunk = wanted[start : start + CHUNK]
            geometries.update(
                (pk, bytes(wkb))
                for pk, wkb in Boundary.objects.filter(pk__in=chunk, derived=False).values_list(
                    "territory_id", "geometry"
                )
            )
        for territory, ids, key in stale:
            wkbs = [geometries[pk] for pk in ids if pk in geometries]
            if wkbs:
                found[territory.pk] = _store_union(territory, wkbs, key)
            elif territory.pk in stored:
                stored[territory.pk].delete()
    return found


def outline_of(territory: Territory) -> Boundary | None:
    return outlines_of([territory]).get(territory.pk)


def _store_union(territory: Territory, wkbs: list[bytes], key: str) -> Boundary:
    (outline,) = geometry.outlines([geometry.union(wkbs)], tolerance=geometry.AREA_TOLERANCE)
    boundary, _created = Boundary.objects.update_or_create(
        territory=territory,
        defaults={
            "geometry": outline.wkb,
            "display": outline.display,
            "latitude": outline.latitude,
            "longitude": outline.longitude,
            "derived": True,
            "communes_key": key,
        },
    )
    return boundary
