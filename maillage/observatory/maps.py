"""What a map shows, made on the server: its title, a sentence saying what it shows, the
classes of a choropleth, the lines of a flow map and the table of its data (the same figures
for those who do not see the map). `static/observatory/map.js` draws it with Leaflet."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Five classes from light to dark (the design system's blue); the legend writes each range,
# so no colour carries meaning alone.
PALETTE = ["#e3e3fd", "#cacafb", "#8585f6", "#313178", "#000091"]
MAX_LINE_WEIGHT = 14
TOO_MANY_COMMUNES = _(
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
