"""Great-circle distances and bounding boxes, for finding the nearest places without a GIS server:
an indexed latitude/longitude box narrows the candidates, the haversine formula ranks them."""

import math

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_boxes(
    lat: float, lon: float, radius_km: float
) -> list[tuple[float, float, float, float]]:
    """Boxes (south, north, west, east) that together contain every point within radius_km of
    (lat, lon); two boxes where the area crosses the antimeridian, the whole band near a pole."""
    d_lat = radius_km / _KM_PER_DEGREE
    south, north = max(-90.0, lat - d_lat), min(90.0, lat + d_lat)
    if south <= -90 or north >= 90 or radius_km >= math.pi * EARTH_RADIUS_KM / 2:
        return [(south, north, -180.0, 180.0)]
    # The widest longitude span of the circle is at the latitude nearest the pole it reaches.
    d_lon = math.degrees(
        math.asin(min(1.0, math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))))
    )
    if d_lon >= 180:
        return [(south, north, -180.0, 180.0)]
    west, east = lon - d_lon, lon + d_lon
    if west < -180:
        return [(south, north, west + 360, 180.0), (south, north, -180.0, east)]
    if east > 180:
        return [(south, north, west, 180.0), (south, north, -180.0, east - 360)]
    return [(south, north, west, east)]
