"""The nearest facilities (``catalogue.queries.finder.nearest_facilities``) are exactly those a
reading of every facility gives, wherever the point and however dense the facilities around it:
the box read around the point starts small, is widened, then narrowed to the distance of the
farthest wanted, and is never too small."""

import math
import random

import pytest

from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.models import Facility
from mercuryhub.catalogue.queries.finder import nearest_facilities
from mercuryhub.lib.geo import haversine_km
from mercuryhub.taxonomy.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def scattered():
    """Forty facilities within 20 km of Nairobi's centre, sixty scattered over the world."""
    rng = random.Random(7)
    places = [
        (-1.29 + rng.uniform(-0.15, 0.15), 36.82 + rng.uniform(-0.15, 0.15)) for _ in range(40)
    ]
    places += [
        (math.degrees(math.asin(rng.uniform(-1, 1))), rng.uniform(-180, 180)) for _ in range(60)
    ]
    operator = Organization.objects.create(
        name="Operator",
        slug="operator",
        country_id="KEN",
        stakeholder_type=Term.objects.get(code="private-sector"),
    )
    Facility.objects.bulk_create(
        Facility(
            name=f"Plant {n}", operator=operator, country_id="KEN", latitude=lat, longitude=lon
        )
        for n, (lat, lon) in enumerate(places)
    )


@pytest.mark.usefixtures("scattered")
@pytest.mark.parametrize("limit", [1, 10, 45])
@pytest.mark.parametrize(
    "point",
    [(-1.29, 36.82), (-60.0, -140.0), (0.0, -30.0), (89.5, 0.0), (-1.0, 179.9), (40.4, -3.7)],
    ids=["nairobi", "southern-ocean", "atlantic", "pole", "date-line", "madrid"],
)
def test_the_nearest_are_those_a_reading_of_every_facility_gives(point, limit):
    lat, lon = point
    every = sorted(
        (haversine_km(lat, lon, f.latitude, f.longitude), f.pk) for f in Facility.objects.all()
    )
    found, total = nearest_facilities(Facility.objects.all(), lat, lon, limit=limit)
    assert total == 100
    assert [pk for pk, _km in found] == [pk for _km, pk in every[:limit]]
    assert [km for _pk, km in found] == pytest.approx([km for km, _pk in every[:limit]])
