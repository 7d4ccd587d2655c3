"""The part of a map a person looks at, and places counted in square cells of it: what the maps
that may hold more places than a browser can draw (the facility map, an ASGM overview's sites)
ask the server for as they move and zoom, instead of every place at once."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Floor
from django.utils.translation import gettext as _

CELL_DEGREES_AT_ZOOM_0 = 80  # about 55 px on Leaflet's 256-px tiles, whatever the zoom


@dataclass(frozen=True)
class MapArea:
    """The part of the map a person looks at: its bounds in degrees (west and east as Leaflet
    gives them, beyond ±180 on a map scrolled past the antimeridian) and Leaflet's zoom level
    (the size of the cells places are counted in when there are too many to send)."""

    south: float
    west: float
    north: float
    east: float
    zoom: int

    def within(self, latitude: str, longitude: str) -> Q:
        """The places of a query whose fields ``latitude`` and ``longitude`` lie in the area,
        longitudes taken round the world: a view across the antimeridian finds the places on
        both sides of it."""
        inside = Q(**{f"{latitude}__range": (self.south, self.north)})
        if self.east - self.west >= 360:
            return inside
        west = (self.west + 180) % 360 - 180
        east = west + (self.east - self.west)
        if east <= 180:
            return inside & Q(**{f"{longitude}__range": (west, east)})
        return inside & (Q(**{f"{longitude}__gte": west}) | Q(**{f"{longitude}__lte": east - 360}))


def cell_degrees(zoom: int) -> float:
    return CELL_DEGREES_AT_ZOOM_0 / 2**zoom


def map_area(params) -> tuple[MapArea | None, dict[str, list[str]]]:
    """The map's bounds (``bbox``: south,west,north,east in degrees) and ``zoom`` from a
    request's parameters: None when neither is given, and the errors when they cannot be
    understood."""
    if "bbox" not in params and "zoom" not in params:
        return None, {}
    try:
        south, west, north, east = (float(part) for part in params["bbox"].split(","))
        zoom = int(params["zoom"])
    except (KeyError, ValueError):
        return None, {"bbox": [_("Give bbox=south,west,north,east in degrees and a zoom.")]}
    if not (-90 <= south <= north <= 90 and -540 <= west <= east <= 540 and 0 <= zoom <= 24):
        return None, {"bbox": [_("The map's bounds or zoom are out of range.")]}
    return MapArea(south, west, north, east, zoom), {}


def cell_groups(places: QuerySet, latitude, longitude, size: float, by=()) -> QuerySet:
    """``places`` counted in square cells of ``size`` degrees, one group per cell and value of
    the fields ``by``: dicts of ``row`` and ``column`` (the cell), the ``by`` values, ``places``
    (how many) and the sums of their ``latitude`` and ``longitude`` (for the cell's centre of
    mass). ``latitude`` and ``longitude`` are field names or expressions."""
    latitude = F(latitude) if isinstance(latitude, str) else latitude
    longitude = F(longitude) if isinstance(longitude, str) else longitude
    return (
        places.annotate(row=Floor(latitude / size), column=Floor(longitude / size))
        .values("row", "column", *by)
        .annotate(places=Count("pk"), latitude_sum=Sum(latitude), longitude_sum=Sum(longitude))
        .order_by()
    )


def cells(groups) -> list[list]:
    """The groups of ``cell_groups`` (no ``by``) as a map draws them: [latitude, longitude,
    places] each, at the mean of the places' coordinates."""
    return [
        [
            round(group["latitude_sum"] / group["places"], 4),
            round(group["longitude_sum"] / group["places"], 4),
            group["places"],
        ]
        for group in groups
    ]
