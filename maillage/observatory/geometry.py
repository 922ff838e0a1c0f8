"""Geometry, with shapely (GEOS): reading GeoJSON, the union of communes, the simplified
text maps are drawn from. Pure functions of geometries; the database is the callers'."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

# Display: coordinates to 4 decimals (about 10 m) after simplifying to about 100 m for a
# commune, 200 m for an area (its outline only): a département's 600 communes weigh ~300 kB.
COMMUNE_TOLERANCE = 0.001
AREA_TOLERANCE = 0.002
GRID = 0.0001
SURFACE_TYPES = frozenset({"Polygon", "MultiPolygon"})


@dataclass(frozen=True)
class Outline:
    wkb: bytes
    display: str
    latitude: float
    longitude: float


def outlines(geometries: Sequence[BaseGeometry], *, tolerance: float) -> list[Outline]:
    """What is stored of each geometry: itself as WKB, its display text, a point inside it
    (where a flow's line starts; a centroid may fall outside a crescent-shaped commune)."""
    if not geometries:
        return []
    simplified = shapely.set_precision(
        shapely.simplify(list(geometries), tolerance, preserve_topology=True), GRID
    )
    points = shapely.point_on_surface(list(geometries))
    return [
        Outline(
            wkb=shapely.to_wkb(geometry),
            display=text,
            latitude=round(point.y, 5),
            longitude=round(point.x, 5),
        )
        for geometry, text, point in zip(
            geometries, shapely.to_geojson(simplified), points, strict=True
        )
    ]


def union(wkbs: Iterable[bytes]) -> BaseGeometry:
    """The outline of an area from its communes' (the inner borders dissolved)."""
    geometries = shapely.from_wkb(list(wkbs))
    return shapely.make_valid(shapely.union_all(geometries, grid_size=GRID / 10))


def communes_key(ids: Iterable[int]) -> str:
    """Names a set of communes: an area's stored outline is remade when its key changes."""
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()


def parse_geometry(data: object) -> BaseGeometry:
    """A GeoJSON geometry object; ValueError with the reason when it is none or no surface."""
    if not isinstance(data, dict) or data.get("type") not in SURFACE_TYPES:
        raise ValueError("not a surface")
    geometry = shapely.from_geojson(json.dumps(data))
    if geometry.is_empty:
        raise ValueError("empty")
    return geometry if geometry.is_valid else shapely.make_valid(geometry)
