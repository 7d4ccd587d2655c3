"""Which country a point lies in, from the vendored Natural Earth outlines."""

import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility
from mercuryhub.catalogue.queries import find_facilities
from mercuryhub.lib.world import country_at


@pytest.mark.parametrize(
    ("place", "lat", "lon", "code"),
    [
        ("Montevideo", -34.9, -56.2, "858"),
        ("Paris", 48.8566, 2.3522, "250"),
        ("Oslo, in Norway, which Natural Earth gives no ISO code", 59.9139, 10.7522, "578"),
        ("Buenos Aires", -34.6, -58.4, "032"),
        ("Maseru, in Lesotho, a hole in South Africa", -29.31, 27.48, "426"),
        ("Johannesburg, around Lesotho", -26.2, 28.04, "710"),
        ("Chukotka, east of the antimeridian", 66.0, -172.0, "643"),
        ("Chukotka, west of the antimeridian", 67.0, 175.0, "643"),
        ("Taveuni, Fiji, across the antimeridian", -16.8, -179.95, "242"),
        ("Antarctica, south of its coast's lowest point", -86.0, 40.0, "010"),
    ],
)
def test_it_finds_the_country_a_point_lies_in(place, lat, lon, code):
    assert country_at(lat, lon) == code, place


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("the middle of the Atlantic", 30.0, -40.0),
        ("the Pacific on the equator", 0.0, -150.0),
        ("the Arctic Ocean near the pole", 88.0, 0.0),
        ("nowhere: latitude out of range", 95.0, 0.0),
    ],
)
def test_it_finds_no_country_at_sea(place, lat, lon):
    assert country_at(lat, lon) is None, place


def _facility(external_id, country, lat, lon):
    data = {
        "external_id": external_id,
        "name": f"Plant {external_id}",
        "operator": "Río de la Plata Residuos",
        "country": country,
        "city": "",
        "latitude": lat,
        "longitude": lon,
        "status": "operating",
        "accepted_wastes": "chlor-alkali",
    }
    return do_save_entry("facility", clean_facility(data), review_state="imported", published=True)


@pytest.mark.django_db
def test_the_finder_takes_the_origin_country_from_the_outlines_not_the_nearest_centre():
    # Misiones, Argentina: the centre of Paraguay is far nearer than the centre of Argentina.
    _facility("arg", "ARG", -27.37, -55.9)  # Posadas
    _facility("pry", "PRY", -27.33, -55.87)  # Encarnación, across the river
    found = find_facilities(None, waste=("chlor-alkali",), lat=-27.6, lon=-55.2)
    transboundary = {f.facility.country_id: f.transboundary for f in found}
    assert transboundary == {"ARG": False, "PRY": True}


@pytest.mark.django_db
def test_a_point_at_sea_falls_back_to_the_nearest_country_centre():
    _facility("ury", "URY", -34.9, -56.2)
    # Off Punta del Este, in the sea: no outline contains it; Uruguay's centre is nearest.
    found = find_facilities(None, waste=("chlor-alkali",), lat=-35.5, lon=-54.5)
    assert [f.transboundary for f in found] == [False]
