"""The facility map page, the facility finder and the small map of detail pages, as a visitor
sees them without JavaScript."""

import re

import pytest
from django.template.loader import render_to_string

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_facility
from mercuryhub.review.actions import do_create_draft

pytestmark = pytest.mark.django_db

CHLOR_ALKALI_FACILITIES = [
    # external_id, name, country, city, lat, lon, status
    ("uy-mvd", "Planta Montevideo", "URY", "Montevideo", -34.9, -56.2, "operating"),
    ("ar-cam", "Planta Campana", "ARG", "Campana", -34.16, -58.96, "operating"),
    ("br-poa", "Usina Porto Alegre", "BRA", "Porto Alegre", -30.03, -51.23, "planned"),
    ("es-alm", "Planta Almadén", "ESP", "Almadén", 38.77, -4.84, "operating"),
    ("de-her", "Werk Herfa-Neurode", "DEU", "Heringen", 50.89, 9.98, "closed"),
]


def make_facility(external_id, name, country, city, lat, lon, status, wastes="chlor-alkali"):
    data = {
        "external_id": external_id,
        "name": name,
        "operator": f"{name} Operator",
        "country": country,
        "city": city,
        "latitude": lat,
        "longitude": lon,
        "status": status,
        "accepted_wastes": wastes,
    }
    return do_save_entry("facility", clean_facility(data), review_state="imported", published=True)


@pytest.fixture
def chlor_alkali_facilities():
    return {row[0]: make_facility(*row) for row in CHLOR_ALKALI_FACILITIES}


def _distances(page: str) -> list[float]:
    return [float(value) for value in re.findall(r'<data value="([0-9.]+)">', page)]


# The map page -------------------------------------------------------------------------------


def test_the_map_page_lists_every_published_facility_with_its_status(
    client, chlor_alkali_facilities
):
    response = client.get("/catalogue/map/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 facilities" in page
    for _id, name, *_rest in CHLOR_ALKALI_FACILITIES:
        assert name in page
    montevideo = chlor_alkali_facilities["uy-mvd"]
    assert (
        f'<a href="/catalogue/facilities/{montevideo.pk}/" dir="auto">Planta Montevideo</a>' in page
    )
    assert "<bdi>Montevideo</bdi>, Uruguay" in page
    assert '<span class="status status-closed">Closed</span>' in page
    assert 'data-points-url="/catalogue/map/facilities.json"' in page
    assert 'href="/catalogue/search/?type=facility"' in page
    assert 'data-world-url="/basemap/world.json"' in page
    assert 'data-world-detail-url="/basemap/cell.json"' in page
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in page


def test_the_maps_draw_online_tiles_only_when_the_site_is_configured_with_them(client, settings):
    for path in ("/catalogue/map/", "/catalogue/finder/"):
        assert "data-tile-url" not in client.get(path).content.decode()
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example tiles"
    for path in ("/catalogue/map/", "/catalogue/finder/"):
        page = client.get(path).content.decode()
        assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in page
        assert 'data-tile-attribution="© Example tiles"' in page


def test_the_map_page_leaves_out_unpublished_facilities(client, chlor_alkali_facilities):
    hidden = chlor_alkali_facilities["es-alm"]
    hidden.published = False
    hidden.save()
    page = client.get("/catalogue/map/").content.decode()
    assert "4 facilities" in page
    assert "Planta Almadén" not in page


def test_the_map_page_keeps_the_filters_in_the_form_and_the_map_data_url(
    client, chlor_alkali_facilities
):
    make_facility(
        "ar-lamps", "Lámparas Rosario", "ARG", "Rosario", -32.95, -60.65, "operating", "lamps"
    )
    response = client.get(
        "/catalogue/map/?waste=chlor-alkali&country=ARG&status=operating&validated=&q="
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 facility" in page
    assert "Planta Campana" in page
    assert "Lámparas Rosario" not in page and "Planta Montevideo" not in page
    assert '<option value="chlor-alkali" selected>' in page
    assert '<option value="ARG" selected>Argentina</option>' in page
    assert 'name="status" value="operating" checked' in page
    assert (
        'data-points-url="/catalogue/map/facilities.json?waste=chlor-alkali&amp;country=ARG'
        '&amp;status=operating&amp;validated=&amp;q="' in page
    )


# The facilities in the map's view ------------------------------------------------------------


def _in_view(client, query="", language=""):
    response = client.get(f"{language}/catalogue/map/facilities.json?{query}")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def _names(data) -> list[str]:
    return sorted(feature["properties"]["name"] for feature in data["features"])


def test_the_map_receives_each_facility_when_few_are_in_view(client, chlor_alkali_facilities):
    status, data = _in_view(client)
    assert status == 200
    assert data["type"] == "FeatureCollection"
    assert _names(data) == sorted(row[1] for row in CHLOR_ALKALI_FACILITIES)
    campana = next(f for f in data["features"] if f["properties"]["name"] == "Planta Campana")
    assert campana["geometry"] == {"type": "Point", "coordinates": [-58.96, -34.16]}
    assert campana["properties"]["status"] == "operating"
    assert campana["properties"]["url"] == f"/catalogue/facilities/{campana['id']}/"


def test_the_map_receives_the_facilities_named_in_the_pages_language(
    client, chlor_alkali_facilities
):
    _status, data = _in_view(client, "country=ESP", language="/fr")
    (almaden,) = data["features"]
    assert almaden["properties"]["country_name"] == "Spain"  # the reference name, as the API
    assert almaden["properties"]["accepted_waste_labels"] == [
        "Déchets de la production de chlore-alcali par électrolyse à cathode de mercure et de son"
        " démantèlement"
    ]


def test_the_maps_filters_and_view_choose_the_facilities(client, chlor_alkali_facilities):
    # The page's filters.
    _status, data = _in_view(client, "status=operating&country=ARG&country=URY")
    assert _names(data) == ["Planta Campana", "Planta Montevideo"]
    # The view: South America's south-east, then Europe.
    _status, data = _in_view(client, "bbox=-40,-65,-25,-45&zoom=5")
    assert _names(data) == ["Planta Campana", "Planta Montevideo", "Usina Porto Alegre"]
    _status, data = _in_view(client, "bbox=35,-10,55,15&zoom=5&status=closed")
    assert _names(data) == ["Werk Herfa-Neurode"]


def test_a_view_across_the_antimeridian_finds_the_facilities_on_both_sides(client):
    make_facility("fj-suv", "Suva Depot", "FJI", "Suva", -18.14, 178.44, "operating")
    make_facility("ws-api", "Apia Depot", "WSM", "Apia", -13.83, -171.76, "operating")
    make_facility("au-syd", "Sydney Plant", "AUS", "Sydney", -33.87, 151.21, "operating")
    # Leaflet's bounds of a map scrolled east past 180°: west 170, east 200 (that is, -160).
    _status, data = _in_view(client, "bbox=-25,170,-5,200&zoom=5")
    assert _names(data) == ["Apia Depot", "Suva Depot"]
    # The same view one world copy to the west.
    _status, data = _in_view(client, "bbox=-25,-190,-5,-160&zoom=5")
    assert _names(data) == ["Apia Depot", "Suva Depot"]
    # A view wider than the world finds every facility.
    _status, data = _in_view(client, "bbox=-90,-300,90,300&zoom=0")
    assert len(data["features"]) == 3


def test_above_the_limit_the_map_receives_the_facilities_counted_in_cells(
    client, chlor_alkali_facilities, settings
):
    settings.CATALOGUE_MAP_POINTS_LIMIT = 2
    # The whole world at the first view's zoom (cells of 20°): the three in South America
    # share one cell, Almadén and Heringen have one each.
    _status, data = _in_view(client)
    assert "features" not in data
    assert data["in_view"] == 5
    cells = sorted(data["cells"])
    assert [cell[2] for cell in cells] == [3, 1, 1]
    south_america = cells[0]
    assert south_america[:2] == [
        round((-34.9 - 34.16 - 30.03) / 3, 4),
        round((-56.2 - 58.96 - 51.23) / 3, 4),
    ]
    # Zoomed in on the Río de la Plata: two in view, each sent.
    _status, data = _in_view(client, "bbox=-36,-60,-33,-55&zoom=7")
    assert _names(data) == ["Planta Campana", "Planta Montevideo"]
    # Zoomed out again (cells of 10°) with a filter: cells count only what the filters keep.
    _status, data = _in_view(client, "bbox=-60,-120,60,60&zoom=3&status=operating")
    assert sorted(cell[2] for cell in data["cells"]) == [1, 2]
    assert data["in_view"] == 3


def test_the_map_never_receives_an_unpublished_facility(
    client, chlor_alkali_facilities, owner, organization
):
    draft = do_create_draft(
        "facility",
        owner,
        {
            "name": "Unpublished Depot",
            "operator": organization.name,
            "country": "CHE",
            "latitude": 47.2,
            "longitude": 7.5,
            "accepted_wastes": ["lamps"],
        },
    )
    assert not draft.published
    for person in (None, owner):  # the map shows what is published, to its editor too
        if person:
            client.force_login(person)
        _status, data = _in_view(client, "bbox=40,0,55,20&zoom=5")
        assert _names(data) == ["Werk Herfa-Neurode"]
    _status, data = _in_view(client, "bbox=40,0,55,20&zoom=5")
    assert _names(data) == ["Werk Herfa-Neurode"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("bbox=1,2,3&zoom=4", "bbox", "Give bbox=south,west,north,east in degrees and a zoom."),
        ("bbox=-95,0,10,10&zoom=4", "bbox", "The map's bounds or zoom are out of range."),
        ("bbox=0,0,10,10&zoom=30", "bbox", "The map's bounds or zoom are out of range."),
        ("zoom=4", "bbox", "Give bbox=south,west,north,east in degrees and a zoom."),
        (
            "waste=no-such-waste",
            "waste",
            "Unknown waste code 'no-such-waste'; see /api/v1/taxonomy/waste-categories",
        ),
        ("status=burning", "status", "Unknown status; use operating, planned, closed, unknown"),
    ],
)
def test_a_bad_view_or_filter_of_the_map_answers_400_naming_it(
    client, chlor_alkali_facilities, query, field, message
):
    status, data = _in_view(client, query)
    assert status == 400
    assert data == {"errors": {field: [message]}}


def test_the_map_page_shows_the_parent_waste_categories_with_their_children(client):
    page = client.get("/catalogue/map/").content.decode()
    contaminated = page.index('<option value="contaminated">')
    chlor_alkali = page.index('<option value="chlor-alkali">')
    containing = page.index('<option value="containing">')
    assert containing < contaminated < chlor_alkali


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("waste=no-such-waste", "waste", "Unknown waste code &#x27;no-such-waste&#x27;"),
        ("country=XYZ", "country", "Unknown country code &#x27;XYZ&#x27;"),
        ("status=burning", "status", "Unknown status; use operating, planned, closed, unknown"),
    ],
)
def test_a_bad_filter_shows_what_is_wrong_instead_of_the_map(
    client, chlor_alkali_facilities, query, field, message
):
    response = client.get(f"/catalogue/map/?{query}")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Some filters could not be understood" in page
    assert message in page
    assert "data-facility-map" not in page
    assert f'<p class="errorlist" id="map-{field}-error">{message}' in page


def test_the_map_page_takes_a_fixed_number_of_queries(
    client, chlor_alkali_facilities, django_assert_max_num_queries
):
    for number in range(20):
        make_facility(
            f"x{number}", f"Extra plant {number}", "CHL", "Santiago", -33.4, -70.6, "unknown"
        )
    with django_assert_max_num_queries(10):
        response = client.get("/catalogue/map/?waste=chlor-alkali")
    assert response.status_code == 200


def test_the_map_page_lists_a_facility_without_coordinates_as_not_on_the_map(client):
    make_facility("nowhere", "Planta sin coordenadas", "URY", "Paysandú", None, None, "operating")
    page = client.get("/catalogue/map/").content.decode()
    assert "Planta sin coordenadas" in page
    assert "not on the map: no coordinates" in page


# The finder ---------------------------------------------------------------------------------


def test_the_finder_lists_the_facilities_accepting_the_waste_nearest_first(
    client, chlor_alkali_facilities
):
    response = client.get("/catalogue/finder/?waste=chlor-alkali&lat=-32.5&lon=-55.8")
    page = response.content.decode()
    assert response.status_code == 200
    distances = _distances(page)
    assert len(distances) == 4  # the closed plant in Germany is left out
    assert distances == sorted(distances)
    link = r'<h3><a href="/catalogue/facilities/\d+/" dir="auto">([^<]+)</a></h3>'
    names = re.findall(link, page)
    assert names == ["Planta Montevideo", "Planta Campana", "Usina Porto Alegre", "Planta Almadén"]
    assert "269.4 km" in page
    assert "9,511.9 km" in page
    assert "Werk Herfa-Neurode" not in page.split("finder-results-heading")[1]


def test_a_facility_in_another_country_carries_the_basel_convention_notice(
    client, chlor_alkali_facilities, settings
):
    settings.BASEL_GUIDANCE_URL = "https://basel.example/guidelines"
    page = client.get("/catalogue/finder/?waste=chlor-alkali&lat=-32.5&lon=-55.8").content.decode()
    results = page.split('<li class="panel finder-result">')[1:]
    notice = "In another country: transboundary movement under the Basel Convention applies."
    assert "Planta Montevideo" in results[0] and notice not in results[0]
    assert "Planta Campana" in results[1] and notice in results[1]
    assert 'href="https://basel.example/guidelines"' in results[1]
    assert all(notice in result for result in results[1:])


def test_the_finder_includes_closed_facilities_when_asked(client, chlor_alkali_facilities):
    page = client.get(
        "/catalogue/finder/?waste=chlor-alkali&lat=-32.5&lon=-55.8&include_closed=1"
    ).content.decode()
    assert "Werk Herfa-Neurode" in page
    assert len(_distances(page)) == 5
    assert 'name="include_closed" value="1" checked' in page


def test_the_finder_starts_from_the_centre_of_a_chosen_country(client, chlor_alkali_facilities):
    response = client.get("/catalogue/finder/?waste=chlor-alkali&country=ESP")
    page = response.content.decode()
    assert response.status_code == 200
    assert "From the centre of Spain" in page
    results = page.split('<li class="panel finder-result">')[1:]
    assert "Planta Almadén" in results[0]
    assert "In another country" not in results[0]
    assert '<option value="ESP" selected>Spain</option>' in page


def test_the_finder_draws_its_results_from_the_data_on_the_page(client, chlor_alkali_facilities):
    page = client.get("/catalogue/finder/?waste=chlor-alkali&lat=-32.5&lon=-55.8").content.decode()
    assert '<script id="finder-data" type="application/json">' in page
    assert '"origin": {"lat": -32.5, "lon": -55.8}' in page
    assert '"transboundary": true' in page


def test_the_empty_finder_shows_the_form_and_no_complaint(client):
    response = client.get("/catalogue/finder/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Waste category" in page and "Your country" in page and "Latitude" in page
    assert "errorlist" not in page
    assert "finder-results-heading" not in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("lat=-32.5&lon=-55.8", "waste", "Choose the waste category you need to manage."),
        ("waste=unheard-of&country=URY", "waste", "Unknown waste category"),
        ("waste=lamps&lat=95&lon=10", "lat", "Latitude must be between -90 and 90, not 95."),
        ("waste=lamps&lat=10&lon=-200", "lon", "Longitude must be between -180 and 180"),
        ("waste=lamps&lat=north&lon=10", "lat", "Latitude must be a number"),
        ("waste=lamps&lat=10", "lon", "Give both the latitude and the longitude."),
        ("waste=lamps&country=XYZ", "country", "Unknown country &#x27;XYZ&#x27;"),
        ("waste=lamps", "origin", "Choose your country, or give a point (click on the map)."),
    ],
)
def test_the_finder_explains_each_mistake_next_to_its_field(client, query, field, message):
    response = client.get(f"/catalogue/finder/?{query}")
    page = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'<p class="errorlist" id="finder-{field}-error">([^<]+)</p>', page)
    assert error is not None, f"no error shown next to {field}"
    assert message in error.group(1)
    assert "finder-results-heading" not in page


def test_the_finder_keeps_what_was_typed_after_a_mistake(client):
    page = client.get("/catalogue/finder/?waste=lamps&lat=95&lon=-55.8").content.decode()
    assert 'name="lat" value="95"' in page
    assert 'name="lon" value="-55.8"' in page
    assert '<option value="lamps" selected>' in page


# The small map of detail pages --------------------------------------------------------------


def test_the_small_map_shows_one_point_where_the_coordinates_are():
    html = render_to_string(
        "catalogue/_small_map.html", {"lat": -34.9, "lon": 0.0, "label": "Planta <Montevideo>"}
    )
    assert 'data-lat="-34.9"' in html and 'data-lon="0.0"' in html
    assert 'data-label="Planta &lt;Montevideo&gt;"' in html
    assert "vendor/leaflet/leaflet.js" in html and "catalogue/map.js" in html


def test_the_small_map_renders_nothing_without_coordinates():
    assert render_to_string("catalogue/_small_map.html", {"lat": None, "lon": 10.0}).strip() == ""


@pytest.mark.django_db(transaction=True)
def test_the_worlds_view_is_counted_once_until_a_published_facility_changes(
    client, settings, administrator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mercuryhub.review import registry
    from mercuryhub.review.actions import do_correct_entry, do_remove_entry

    settings.CATALOGUE_MAP_POINTS_LIMIT = 0  # always counted in cells
    made = {row[0]: make_facility(*row) for row in CHLOR_ALKALI_FACILITIES}

    def world(query=""):
        with CaptureQueriesContext(connection) as run:
            _status, data = _in_view(client, query)
        counted = sum(
            "COUNT(" in ran["sql"] and '"catalogue_facility"' in ran["sql"]
            for ran in run.captured_queries
        )
        return sorted(cell[2] for cell in data["cells"]), counted

    first, counted = world()
    assert first == [1, 1, 3] and counted == 1
    assert world() == (first, 0)  # kept: nothing counted again
    assert world("status=operating") == ([1, 2], 1)  # other filters, counted for themselves
    assert world("status=operating") == ([1, 2], 0)

    # A facility published, one moved by a correction, one removed: new counts at once.
    make_facility("ar-zar", "Planta Zárate", "ARG", "Zárate", -34.1, -59.0, "operating")
    assert world() == ([1, 1, 4], 1)
    kind = registry.get("facility")
    almaden = made["es-alm"]
    moved = {**kind.serialize(almaden), "latitude": -33.0, "longitude": -55.0}
    do_correct_entry("facility", administrator, almaden, moved)
    assert world() == ([1, 5], 1)
    do_remove_entry("facility", administrator, made["de-her"])
    assert world() == ([5], 1)
    # Seen in another language, counted for it (the cells are the same).
    _status, data = _in_view(client, language="/fr")
    assert [cell[2] for cell in data["cells"]] == [5]


@pytest.mark.django_db(transaction=True)
def test_without_the_ranking_index_the_worlds_view_is_counted_at_each_visit(client, settings):
    # Its change log then counts no changes: nothing could tell when kept counts grew old.
    settings.SEARCH_RANKING_INDEX = False
    settings.CATALOGUE_MAP_POINTS_LIMIT = 0
    for row in CHLOR_ALKALI_FACILITIES:
        make_facility(*row)
    _status, data = _in_view(client)
    assert sorted(cell[2] for cell in data["cells"]) == [1, 1, 3]
    make_facility("ar-zar", "Planta Zárate", "ARG", "Zárate", -34.1, -59.0, "operating")
    _status, data = _in_view(client)
    assert sorted(cell[2] for cell in data["cells"]) == [1, 1, 4]
