"""What a map shows, made on the server: its title, a sentence saying what it shows, the
classes of a choropleth, the lines of a flow map and the table of its data (the same figures
for those who do not see the map). `static/observatory/map.js` draws it with Leaflet."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.observatory import services
from maillage.observatory.selectors import Place
from maillage.territories.models import Territory

# Five classes from light to dark (the design system's blue); the legend writes each range,
# so no colour carries meaning alone.
PALETTE = ["#e3e3fd", "#cacafb", "#8585f6", "#313178", "#000091"]
MAX_LINE_WEIGHT = 14
TOO_MANY_COMMUNES = gettext_lazy(
    "Ce territoire a trop de communes pour une carte de ses communes : choisissez l’un de ses "
    "départements."
)


@dataclass
class Line:
    origin: str
    destination: str
    start: tuple[float, float]
    end: tuple[float, float]
    value: float


@dataclass
class Map:
    title: str
    description: str
    outlines_url: str = ""  # a GeoJSON FeatureCollection (or Feature)
    breaks: list[float] = field(default_factory=list)  # the choropleth's upper bounds
    lines: list[Line] = field(default_factory=list)
    unit: str = ""

    @property
    def legend(self) -> list[tuple[str, float | None, float | None]]:
        """(colour, from, to) per class."""
        bounds: list[float | None] = [None, *self.breaks]
        return (
            [
                (PALETTE[i], bounds[i], bounds[i + 1] if i + 1 < len(bounds) else None)
                for i in range(len(self.breaks) + 1)
            ]
            if self.breaks
            else []
        )

    def config(self) -> dict:
        """The map's settings for map.js (written into the page with json_script)."""
        largest = max((line.value for line in self.lines), default=0) or 1
        return {
            "url": self.outlines_url,
            "breaks": self.breaks,
            "palette": PALETTE[: len(self.breaks) + 1],
            "lines": [
                {
                    "label": f"{line.origin} → {line.destination}",
                    "from": line.start,
                    "to": line.end,
                    "value": round(line.value, 1),
                    "weight": max(1.0, round(MAX_LINE_WEIGHT * line.value / largest, 1)),
                }
                for line in self.lines
            ],
            "tiles": settings.OBSERVATORY_TILE_URL,
            "attribution": settings.OBSERVATORY_TILE_ATTRIBUTION,
        }


def quantile_breaks(values: list[float | None], classes: int = 5) -> list[float]:
    """Upper bounds of `classes` classes holding about as many values each (fewer when the
    values are fewer or repeat)."""
    known = sorted(v for v in values if v is not None)
    if len(known) < 2:
        return []
    breaks: list[float] = []
    for i in range(1, classes):
        bound = known[min(len(known) - 1, round(i * len(known) / classes))]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    if breaks and breaks[-1] >= known[-1]:
        breaks.pop()
    return breaks


def territory_flow_map(territory: Territory, places: list[Place], dataset) -> Map:
    """The largest flows leaving a territory, as lines from it to each place (those without
    an outline — a country abroad — are in the table only)."""
    others = [p for p in places if p.territory.pk != territory.pk]
    outlines = services.outlines_of([territory, *(p.territory for p in others)])
    start = outlines.get(territory.pk)
    lines = []
    if start is not None:
        for place in others:
            end = outlines.get(place.territory.pk)
            if end is not None:
                lines.append(
                    Line(
                        territory.name,
                        place.territory.name,
                        (start.latitude, start.longitude),
                        (end.latitude, end.longitude),
                        place.value,
                    )
                )
    return Map(
        title=_("Les principaux flux au départ de %(territory)s") % {"territory": territory.name},
        description=_(
            "Une ligne relie %(territory)s à chaque destination ; son épaisseur suit le nombre "
            "de personnes (%(kind)s, %(year)s). Le tableau donne les mêmes chiffres."
        )
        % {"territory": territory.name, "kind": dataset.get_kind_display(), "year": dataset.year},
        outlines_url=reverse("api-v1:territory_boundary", args=[territory.pk]),
        lines=lines,
    )


def pair_flow_map(territories: list[Territory], matrix: dict, dataset) -> Map:
    """The flows between territories, a line each way whose width follows the volume, over
    their outlines."""
    outlines = services.outlines_of(territories)
    lines = []
    for origin in territories:
        for destination in territories:
            value = matrix.get((origin.pk, destination.pk))
            start, end = outlines.get(origin.pk), outlines.get(destination.pk)
            if origin.pk == destination.pk or not value or start is None or end is None:
                continue
            lines.append(
                Line(
                    origin.name,
                    destination.name,
                    (start.latitude, start.longitude),
                    (end.latitude, end.longitude),
                    value,
                )
            )
    ids = "&".join(f"id={t.pk}" for t in territories)
    return Map(
        title=_("Les flux entre les territoires"),
        description=_(
            "Les contours des territoires et une ligne pour chaque sens où des personnes vont de "
            "l’un à l’autre ; son épaisseur suit leur nombre (%(kind)s, %(year)s). Le tableau "
            "donne les mêmes chiffres."
        )
        % {"kind": dataset.get_kind_display(), "year": dataset.year},
        outlines_url=reverse("observatory:outlines") + "?" + ids,
        lines=lines,
    )
