"""Where facilities are: the facility map's view, nearest facilities and the facility finder
(where a given waste can go from a place)."""

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from mercuryhub.catalogue.models import LATITUDE_BAND, Facility
from mercuryhub.catalogue.queries.filters import Filters, filtered
from mercuryhub.catalogue.queries.visibility import detailed, facilities_visible_to
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.geo import bounding_boxes, haversine_km
from mercuryhub.lib.maps import MapArea, cell_degrees, cell_groups, cells
from mercuryhub.lib.world import country_at
from mercuryhub.search.unchanged import while_unchanged
from mercuryhub.taxonomy.models import Country
from mercuryhub.taxonomy.queries import reference_mark

# The facility map ---------------------------------------------------------------------------

WORLD_ZOOM = 2  # the map's first view, the whole world, before it knows its area


def facilities_in_view(user, filters: Filters, area: MapArea | None) -> QuerySet[Facility]:
    """The facilities of the map: those the person may see that pass the filters and have
    coordinates, within ``area`` when given."""
    facilities = filtered("facility", user, filters).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    return facilities if area is None else facilities.filter(area.within("latitude", "longitude"))


def facility_cells(user, filters: Filters, area: MapArea | None) -> list[list]:
    """The facilities of facilities_in_view counted in square cells of the map at the area's
    zoom: [latitude, longitude, facilities] each. The world's first view (no area), which
    counts every facility (seconds for hundreds of thousands), is kept while the published
    facilities, the terms and today's date (the filter of those confirmed this year) are
    unchanged (``search.unchanged``)."""
    size = cell_degrees(WORLD_ZOOM if area is None else area.zoom)

    def counted():
        facilities = facilities_in_view(user, filters, area)
        return cells(cell_groups(facilities, "latitude", "longitude", size))

    if area is not None:
        return counted()
    asked = [filters.as_params(), reference_mark(), timezone.localdate().isoformat()]
    return while_unchanged("facility-cells", asked, counted)


def facility_list_count(filters: Filters, facilities: QuerySet[Facility]) -> int:
    """How many ``facilities`` the map page lists (``filtered`` by ``filters``, with coordinates
    or not): counting them reads every one, so the count is kept while the published
    facilities, the terms and today's date are unchanged, as the world's cells."""
    asked = [filters.as_params(), reference_mark(), timezone.localdate().isoformat()]
    return while_unchanged("facility-list", asked, facilities.count)


# Nearest ------------------------------------------------------------------------------------


def nearest_facilities(
    queryset: QuerySet[Facility],
    lat: float,
    lon: float,
    *,
    limit: int,
    start_km: float = 30.0,
    count: bool = True,
) -> tuple[list[tuple[int, float]], int | None]:
    """The ``limit`` facilities of the queryset nearest to the point, as (id, km) in increasing
    distance, and how many of the queryset have coordinates (None unless ``count``). A bounding
    box around the point is widened until it holds enough candidates whose distances prove that
    none outside is nearer: twofold while it holds fewer than ``limit``, then to the distance
    of the ``limit``-th nearest it holds (the box's corners reach beyond its circle), which
    bounds the distance of the nearest overall. Small first, so that where facilities are dense
    (thousands within 300 km at a million) few are read."""
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    total = located.count() if count else None
    located = located.alias(latitude_band=LATITUDE_BAND)
    wanted = limit if total is None else min(limit, total)
    if wanted == 0:
        return [], total
    radius = start_km
    while True:
        box = Q()
        for south, north, west, east in bounding_boxes(lat, lon, radius):
            # Whole degrees as either engine casts them (PostgreSQL rounds, SQLite truncates).
            bands = range(math.floor(south) - 1, math.ceil(north) + 2)
            box |= Q(
                latitude_band__in=bands,
                latitude__gte=south,
                latitude__lte=north,
                longitude__gte=west,
                longitude__lte=east,
            )
        candidates = [
            (pk, haversine_km(lat, lon, c_lat, c_lon))
            for pk, c_lat, c_lon in located.filter(box).values_list("pk", "latitude", "longitude")
        ]
        candidates.sort(key=lambda item: (item[1], item[0]))
        within = [c for c in candidates if c[1] <= radius]
        if len(within) >= wanted or radius >= 20_100:
            return within[:wanted] if len(within) >= wanted else candidates[:wanted], total
        if len(candidates) >= wanted:  # the wanted nearest lie within this distance
            radius = min(candidates[wanted - 1][1], 20_100)
        else:
            radius = min(radius * 2, 20_100)


# Facility finder ----------------------------------------------------------------------------


@dataclass
class Found:
    facility: Facility
    distance_km: float
    transboundary: bool

    def map_point(self) -> dict:
        """What the maps (catalogue/map.js) draw of a facility found near a place."""
        return {
            "id": self.facility.pk,
            "name": self.facility.local_name,
            "url": self.facility.get_absolute_url(),
            "lat": self.facility.latitude,
            "lon": self.facility.longitude,
            "status": self.facility.status,
            "distance_km": self.distance_km,
            "transboundary": self.transboundary,
        }


def find_facilities(
    user,
    *,
    waste: tuple[str, ...] = (),
    lat: float | None = None,
    lon: float | None = None,
    country: str | None = None,
    include_closed: bool = False,
    limit: int = 10,
) -> list[Found]:
    """Facilities accepting the wastes, nearest first, from a point or from a country (its
    centroid). A facility in another country than the origin is marked transboundary: moving
    waste there falls under the Basel Convention."""
    origin_country = None
    if country:
        origin_country = Country.objects.filter(iso3=country.upper()).first()
        if origin_country is None:
            raise InvalidInputError({"country": f"Unknown country code {country!r}"})
        if lat is None or lon is None:
            if origin_country.latitude is None:
                raise InvalidInputError({"country": f"No known centre for {origin_country.name}"})
            lat, lon = origin_country.latitude, origin_country.longitude
    if lat is None or lon is None:
        raise InvalidInputError({"lat": "Give a point (lat and lon) or a country"})
    if origin_country is None:
        origin_country = _country_at(lat, lon)
    filters = Filters(waste=waste, kinds=("facility",))
    queryset = filtered("facility", user, filters)
    if not include_closed:
        queryset = queryset.exclude(status=Facility.Status.CLOSED)
    rows, _total = nearest_facilities(queryset, lat, lon, limit=limit, count=False)
    loaded = detailed("facility", user, [pk for pk, _d in rows])
    return [
        Found(
            loaded[pk],
            round(distance, 1),
            origin_country is None or loaded[pk].country_id != origin_country.iso3,
        )
        for pk, distance in rows
        if pk in loaded
    ]


def _country_at(lat: float, lon: float) -> Country | None:
    """The country whose Natural Earth outline contains the point; at sea or on a coast finer
    than the outlines, the country whose centre is nearest: a fair guess of where a clicked point
    lies when no country is given (the map shows the outlines for the person to check)."""
    code = country_at(lat, lon)
    found = Country.objects.filter(numeric=code).first() if code else None
    if found is not None:
        return found
    best, best_distance = None, None
    for country in Country.objects.exclude(latitude=None).only("iso3", "latitude", "longitude"):
        distance = haversine_km(lat, lon, country.latitude, country.longitude)
        if best_distance is None or distance < best_distance:
            best, best_distance = country, distance
    return best


# Related facilities -----------------------------------------------------------------------------

# The related facilities of a facility's page are chosen among this many: the nearest accepting
# one of its wastes (or, without coordinates, the first by name in its country), not among every
# facility tagged with one of them (hundreds of thousands at a million records).
RELATED_AMONG = 30


def related_facilities(user, facility: Facility, limit: int = 6) -> list[Facility]:
    """Other facilities accepting the same wastes: of the nearest that accept one of them, those
    sharing the most first, then the nearest; for a facility without coordinates, of those of
    its country, by name."""
    wastes = [term.pk for term in facility.accepted_wastes.all()]
    if not wastes:
        return []
    links = Facility.accepted_wastes.through.objects
    others = (
        facilities_visible_to(user)
        .exclude(pk=facility.pk)
        .filter(Exists(links.filter(facility_id=OuterRef("pk"), term_id__in=wastes)))
    )
    if facility.latitude is not None and facility.longitude is not None:
        rows, _total = nearest_facilities(
            others, facility.latitude, facility.longitude, limit=RELATED_AMONG, count=False
        )
        distances = dict(rows)
    else:
        among = others.filter(country=facility.country_id).order_by("name", "pk")
        distances = dict.fromkeys(among.values_list("pk", flat=True)[:RELATED_AMONG], 0.0)
    shared = Counter(
        links.filter(facility_id__in=distances, term_id__in=wastes).values_list(
            "facility_id", flat=True
        )
    )
    candidates = facilities_visible_to(user).filter(pk__in=distances).select_related("country")
    ranked = sorted(
        candidates, key=lambda other: (-shared[other.pk], distances[other.pk], other.name)
    )
    return ranked[:limit]
