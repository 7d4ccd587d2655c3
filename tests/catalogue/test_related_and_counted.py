"""A facility's related facilities, chosen among its nearest accepting one of its wastes, and
the map page's count of facilities, kept while the published facilities are unchanged: at a
million records both read every facility tagged alike (docs/performance.md, Load at a million
records)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercuryhub.catalogue.queries import finder, related_facilities
from tests.catalogue.test_map_views import make_facility

pytestmark = pytest.mark.django_db


def names(facilities):
    return [facility.name for facility in facilities]


def test_related_facilities_share_the_most_wastes_first_then_the_nearest():
    origin = make_facility(
        "o", "Origin", "URY", "Montevideo", -34.9, -56.2, "operating", wastes="chlor-alkali;lamps"
    )
    make_facility(
        "near-one", "Near, lamps", "URY", "Canelones", -34.5, -56.3, "operating", wastes="lamps"
    )
    make_facility(
        "far-both",
        "Far, both",
        "ARG",
        "Campana",
        -34.2,
        -59.0,
        "operating",
        wastes="chlor-alkali;lamps",
    )
    make_facility(
        "near-both",
        "Near, both",
        "URY",
        "Pando",
        -34.7,
        -55.9,
        "operating",
        wastes="lamps;chlor-alkali",
    )
    make_facility(
        "nearest-one", "Nearest, chlor-alkali", "URY", "Montevideo", -34.88, -56.18, "operating"
    )
    make_facility(
        "other", "Other wastes", "URY", "Montevideo", -34.9, -56.19, "operating", wastes="batteries"
    )
    related = related_facilities(AnonymousUser(), origin)
    assert names(related) == ["Near, both", "Far, both", "Nearest, chlor-alkali", "Near, lamps"]
    assert names(related_facilities(AnonymousUser(), origin, limit=2)) == names(related)[:2]


def test_related_facilities_are_chosen_among_the_nearest_only(monkeypatch):
    origin = make_facility(
        "o", "Origin", "URY", "Montevideo", -34.9, -56.2, "operating", wastes="chlor-alkali;lamps"
    )
    make_facility("near", "Near, chlor-alkali", "URY", "Montevideo", -34.88, -56.18, "operating")
    make_facility(
        "far-both",
        "Far, both",
        "DEU",
        "Heringen",
        50.89,
        9.98,
        "operating",
        wastes="chlor-alkali;lamps",
    )
    monkeypatch.setattr(finder, "RELATED_AMONG", 1)
    # Sharing both wastes, the far one would come first; it is not among the nearest one.
    assert names(related_facilities(AnonymousUser(), origin)) == ["Near, chlor-alkali"]


def test_without_coordinates_related_facilities_are_those_of_its_country_by_name():
    origin = make_facility("o", "Origin", "URY", "Paysandú", None, None, "operating")
    make_facility("b", "B plant", "URY", "Salto", -31.4, -57.9, "operating")
    make_facility("a", "A plant", "URY", "Rivera", None, None, "operating")
    make_facility("elsewhere", "A plant elsewhere", "ARG", "Campana", -34.2, -59.0, "operating")
    assert names(related_facilities(AnonymousUser(), origin)) == ["A plant", "B plant"]


def counted(client, path):
    """The page, and whether counting the facilities was one of its statements."""
    with CaptureQueriesContext(connection) as statements:
        page = client.get(path).content.decode()
    return page, any("COUNT(" in q["sql"] for q in statements.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_map_pages_count_is_kept_until_a_facility_is_published(client, settings):
    settings.SEARCH_RANKING_INDEX = True
    for number in range(3):
        make_facility(f"x{number}", f"Plant {number}", "CHL", "Santiago", -33.4, -70.6, "unknown")
    page, counting = counted(client, "/catalogue/map/?status=unknown")
    assert "3 facilities" in page and counting
    page, counting = counted(client, "/catalogue/map/?status=unknown")
    assert "3 facilities" in page and not counting  # kept
    make_facility("x3", "Plant 3", "CHL", "Santiago", -33.4, -70.6, "unknown")
    page, counting = counted(client, "/catalogue/map/?status=unknown")
    assert "4 facilities" in page and counting


@pytest.mark.django_db(transaction=True)
def test_the_home_pages_counts_are_kept_until_an_entry_is_published(client, settings):
    settings.SEARCH_RANKING_INDEX = True
    make_facility("x0", "Plant 0", "CHL", "Santiago", -33.4, -70.6, "unknown")
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as again:
        client.get("/")
    facility_counts = [q for q in first.captured_queries if 'FROM "catalogue_facility"' in q["sql"]]
    assert facility_counts  # counted the first time
    assert not [q for q in again.captured_queries if 'FROM "catalogue_facility"' in q["sql"]]
    make_facility("x1", "Plant 1", "CHL", "Santiago", -33.4, -70.6, "unknown")
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert [q for q in after.captured_queries if 'FROM "catalogue_facility"' in q["sql"]]
