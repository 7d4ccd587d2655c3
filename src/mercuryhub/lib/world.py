"""Which country a point lies in, from the vendored Natural Earth outlines (countries-50m.geojson,
the file the maps draw), by ray casting in plain Python: no GIS library, no network.

The outlines are loaded once per process, on first use. Each polygon keeps its bounding box so
that only the few polygons around a point are tested ring by ring."""

import functools
import json
from dataclasses import dataclass
from importlib import resources

_WORLD_FILE = ("mercuryhub.core", "static/vendor/world/countries-50m.geojson")

# Natural Earth gives some features no ISO 3166-1 numeric code (iso_n3 is null): Norway because
# its upstream ISO_N3 is -99, and areas that ISO 3166-1 counts as part of a member state. The rest
# (Kosovo, Siachen Glacier, Indian Ocean Ter.) have no single ISO country and stay unknown.
_CODES_BY_NAME = {
    "Norway": "578",
    "Somaliland": "706",  # Somalia
    "N. Cyprus": "196",  # Cyprus
}


@dataclass(frozen=True)
class _Ring:
    """A ring with longitudes made continuous: they may run past 180 or -180 where the ring
    crosses the antimeridian, and a ring round a pole is closed along that pole."""

    box: tuple[float, float, float, float]  # west, south, east, north, in the ring's longitudes
    points: tuple[tuple[float, float], ...]

    def crossings(self, lon: float, lat: float) -> int:
        """How many edges a ray from the point towards the east crosses."""
        west, south, east, north = self.box
        if not south <= lat <= north:
            return 0
        for x in (lon, lon + 360, lon - 360):
            if west <= x <= east:
                return _crossings(self.points, x, lat)
        return 0


def _crossings(points, lon: float, lat: float) -> int:
    count = 0
    x1, y1 = points[-1]
    for x2, y2 in points:
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            count += 1
        x1, y1 = x2, y2
    return count


@dataclass(frozen=True)
class _Polygon:
    code: str
    south: float
    north: float
    rings: tuple[_Ring, ...]

    def contains(self, lon: float, lat: float) -> bool:
        if not self.south <= lat <= self.north:
            return False
        # Even-odd rule over every ring: a point in a hole is inside two rings.
        return sum(ring.crossings(lon, lat) for ring in self.rings) % 2 == 1


def _ring(coordinates) -> _Ring | None:
    """Natural Earth lets a ring jump from 180 to -180 (eastern Russia, Fiji); each step is taken
    the short way round instead. Antarctica's coast goes once round the South Pole: it is closed
    along the pole so that it encloses the continent on a flat map."""
    points = [(float(coordinates[0][0]), float(coordinates[0][1]))]
    for x, y in coordinates[1:]:
        previous = points[-1][0]
        points.append((previous + (x - previous + 180) % 360 - 180, float(y)))
    latitudes = [y for _x, y in points]
    if min(latitudes) == max(latitudes):
        return None  # a line, such as the edge along the pole: it encloses nothing
    if abs(points[-1][0] - points[0][0]) > 180:
        pole = -90.0 if sum(latitudes) < 0 else 90.0
        points += [(points[-1][0], pole), (points[0][0], pole)]
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    return _Ring((min(xs), min(ys), max(xs), max(ys)), tuple(points))


def _polygons_of(feature: dict) -> list[_Polygon]:
    properties = feature.get("properties") or {}
    code = properties.get("iso_n3") or _CODES_BY_NAME.get(properties.get("name"))
    geometry = feature.get("geometry")
    if not code or not geometry:
        return []
    if geometry["type"] == "Polygon":
        parts = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["coordinates"]
    else:
        return []
    polygons = []
    for part in parts:
        rings = tuple(ring for ring in map(_ring, part) if ring is not None)
        if rings:
            south = min(ring.box[1] for ring in rings)
            north = max(ring.box[3] for ring in rings)
            polygons.append(_Polygon(code, south, north, rings))
    return polygons


@functools.cache
def _world() -> list[_Polygon]:
    package, name = _WORLD_FILE
    features = json.loads(resources.files(package).joinpath(name).read_text(encoding="utf-8"))
    return [polygon for feature in features["features"] for polygon in _polygons_of(feature)]


def country_at(lat: float, lon: float) -> str | None:
    """The ISO 3166-1 numeric code (three digits, ``"858"``) of the country whose outline contains
    the point, or None at sea, off the outlines' 1:50m detail, or in an area without a code."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    for polygon in _world():
        if polygon.contains(lon, lat):
            return polygon.code
    return None
