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


# The maps' outlines near a place, for the maps' detailed basemap: the 1:50m outlines clipped to
# one cell of CELL_DEGREES on a side, so that a map draws the few cells it shows instead of the
# whole world's file (2 MB). Coordinates are integers in thousandths of a degree, each point after
# a ring's first given as the step from the one before (small numbers that compress well).
CELL_DEGREES = 10
_SCALE = 1000


def cell_outlines(west: int, south: int) -> dict:
    """{"scale", "polygons": land to fill, "lines": country borders to draw} in the cell whose
    south-west corner is (west, south), both multiples of CELL_DEGREES."""
    box = (west, south, west + CELL_DEGREES, south + CELL_DEGREES)
    polygons, lines = [], []
    for polygon in _world():
        if polygon.north < box[1] or polygon.south > box[3]:
            continue
        for shift in (0, 360, -360):  # rings may run past 180 or -180 (lib.world._ring)
            shifted = (box[0] + shift, box[1], box[2] + shift, box[3])
            rings = [ring for ring in polygon.rings if _overlaps(ring.box, shifted)]
            clipped = [_clip(ring.points, shifted) for ring in rings]
            clipped = [_encoded(ring, shift) for ring in clipped if len(ring) >= 3]
            if clipped:
                polygons.append(clipped)
            for ring in rings:
                lines += [_encoded(run, shift) for run in _runs_inside(ring.points, shifted)]
    return {"scale": _SCALE, "polygons": polygons, "lines": lines}


def _overlaps(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _clip(points, box):
    """Sutherland–Hodgman: the ring cut to the box (edges along the box where it was cut)."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    output = list(points)
    for inside, cross in edges:
        if not output:
            break
        source, output = output, []
        previous = source[-1]
        for point in source:
            if inside(point):
                if not inside(previous):
                    output.append(cross(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(cross(previous, point))
            previous = point
    return output


def _at_x(a, b, x):
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _at_y(a, b, y):
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def _runs_inside(points, box):
    """The stretches of a ring's outline that touch the box, each with one point beyond it at
    either end (the neighbouring cell draws the same stretch: the lines meet)."""
    inside = [box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in points]
    runs, current = [], []
    count = len(points)
    for index in range(count + 1):
        point = points[index % count]
        near = inside[index % count] or inside[(index - 1) % count] or inside[(index + 1) % count]
        if near:
            current.append(point)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [run for run in runs if len(run) >= 2]


def _encoded(points, shift: float, scale: int = _SCALE) -> list[int]:
    """[x0, y0, dx1, dy1, ...] in 1/scale of a degree, shifted back by ``shift``."""
    encoded, last_x, last_y = [], 0, 0
    for x, y in points:
        qx, qy = round((x - shift) * scale), round(y * scale)
        if encoded and qx == last_x and qy == last_y:
            continue
        encoded += [qx - last_x, qy - last_y] if encoded else [qx, qy]
        last_x, last_y = qx, qy
    return encoded


_COARSE_FILE = ("mercuryhub.core", "static/vendor/world/countries-110m.geojson")


@functools.cache
def coarse_outlines() -> dict:
    """The whole world's 1:110m outlines, in hundredths of a degree, for maps zoomed out: the
    same form as ``cell_outlines``, its polygons drawn with their outlines (no "lines")."""
    package, name = _COARSE_FILE
    features = json.loads(resources.files(package).joinpath(name).read_text(encoding="utf-8"))
    polygons = []
    for feature in features["features"]:
        geometry = feature.get("geometry") or {}
        parts = [geometry["coordinates"]] if geometry.get("type") == "Polygon" else []
        parts = parts or (geometry["coordinates"] if geometry.get("type") == "MultiPolygon" else [])
        for part in parts:
            rings = [ring for ring in map(_ring, part) if ring is not None]
            encoded = [_encoded(ring.points, 0, scale=100) for ring in rings]
            polygons.append([ring for ring in encoded if len(ring) >= 8])
    return {"scale": 100, "polygons": [polygon for polygon in polygons if polygon]}
