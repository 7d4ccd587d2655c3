"""The ASGM baseline in the API, with the worked example (conftest's ``sites``): mining sites
with their coordinates as each person may see them, the overview's filters and pages, one site,
and a country's national overview equal to the one the pages show."""

from decimal import Decimal

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.asgm import queries
from mercuryhub.asgm.models import Site
from mercuryhub.taxonomy.models import Country
from tests.asgm.conftest import MOBALE_EXACT, MOBALE_ROUNDED

pytestmark = pytest.mark.django_db

SITES = "/api/v1/asgm/sites"


def _as(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'script')[1]}"}


def _mobale(client, **headers) -> dict:
    response = client.get(SITES, {"country": "COD", "admin_area": "Mwenga"}, **headers)
    assert response.status_code == 200, response.content
    return next(item for item in response.json()["items"] if item["code"] == "A")


def _point(item) -> tuple:
    return item["latitude"], item["longitude"], item["exact"]


def test_a_site_says_what_is_known_of_it_and_how_its_mercury_use_is_known(client, sites):
    mobale = _mobale(client)
    site = Site.objects.get(code="A")

    assert mobale["id"] == site.pk
    assert mobale["name"] == "Mobale"
    assert mobale["country"] == "COD"
    assert mobale["admin_area"] == "Mwenga"
    assert mobale["deposit_type"] == "hard_rock"
    assert (mobale["miners"], mobale["women"], mobale["children"]) == (850, 120, 15)
    assert mobale["practice"] == "whole-ore-amalgamation"
    assert mobale["practice_label"] == "Whole ore amalgamation"
    assert mobale["gold_kg_per_year"] == 3.0  # 250 g a month
    mercury = mobale["mercury"]
    assert mercury["method"] == "estimated"
    assert (mercury["low_kg_per_year"], mercury["typical_kg_per_year"]) == (12.0, 30.0)
    assert mercury["high_kg_per_year"] == 150.0
    assert mercury["ratio"]["label"] == site.mercury_ratio.label
    assert mercury["ratio"]["source"] == site.mercury_ratio.source
    assert (mercury["ratio"]["low"], mercury["ratio"]["typical"]) == (4.0, 10.0)
    assert [(w["code"], w["question"], w["answer"]) for w in mobale["worst_practices"]] == [
        ("whole-ore-amalgamation", "amalgamation", "whole_ore"),
        ("open-burning", "burning_place", "open_air"),
        ("residential-burning", "burning_place", "homes"),
    ]
    assert mobale["worst_practices"][1]["reference"] == "Annex C 1(b)(ii)"
    assert mobale["worst_practices"][1]["label"] == "Open burning of amalgam"
    assert mobale["observed_at"].startswith(site.observed_at.date().isoformat())
    assert mobale["links"] == {
        "page": f"/asgm/sites/{site.pk}/",
        "api": f"/api/v1/asgm/sites/{site.pk}",
    }
    assert client.get(mobale["links"]["api"]).json() == mobale


def test_a_reported_site_names_no_ratio(client, sites):
    kalimbi = client.get(SITES, {"country": "COD", "admin_area": "Kalehe"}).json()["items"][0]

    assert kalimbi["mercury"] == {
        "method": "reported",
        "low_kg_per_year": 54.0,
        "typical_kg_per_year": 54.0,
        "high_kg_per_year": 54.0,
        "ratio": None,
    }
    assert kalimbi["worst_practices"] == []


def test_the_public_and_outsiders_get_coordinates_rounded(client, sites, outsider):
    assert _point(_mobale(client)) == (*MOBALE_ROUNDED, False)
    assert _point(_mobale(client, **_as(outsider))) == (*MOBALE_ROUNDED, False)
    site = Site.objects.get(code="A")
    assert _point(client.get(f"{SITES}/{site.pk}").json()) == (*MOBALE_ROUNDED, False)


def test_the_project_s_members_and_the_secretariat_get_them_exact(
    client, sites, viewer, secretariat
):
    assert _point(_mobale(client, **_as(viewer))) == (*MOBALE_EXACT, True)
    assert _point(_mobale(client, **_as(secretariat))) == (*MOBALE_EXACT, True)
    client.force_login(viewer)  # a signed-in browser session too
    site = Site.objects.get(code="A")
    assert _point(client.get(f"{SITES}/{site.pk}").json()) == (*MOBALE_EXACT, True)


def test_a_project_that_publishes_its_locations_shows_them_exact_to_all(
    client, sites, published_locations
):
    assert _point(_mobale(client)) == (*MOBALE_EXACT, True)


def test_the_overview_s_filters_narrow_the_sites(client, sites):
    def codes(**params):
        response = client.get(SITES, params)
        assert response.status_code == 200, response.content
        return [item["code"] for item in response.json()["items"]]

    assert codes() == ["B", "C", "A"]  # by country, area, name
    assert codes(country="cod") == ["B", "C", "A"]
    assert codes(admin_area="Mwenga") == ["C", "A"]
    assert codes(worst_practice="open-burning") == ["A"]
    assert codes(practice="mercury-free") == ["C"]
    Site.objects.filter(code="C").update(observed_at="2020-06-15T10:00:00Z")
    assert codes(until="2020-12-31") == ["C"]
    assert codes(since="2021-01-01") == ["B", "A"]
    assert codes(country="GHA") == []


def test_the_list_comes_in_pages_with_the_count_of_every_site(client, sites):
    first = client.get(SITES, {"limit": 2}).json()
    rest = client.get(SITES, {"limit": 2, "offset": 2}).json()

    assert first["count"] == rest["count"] == 3
    assert [item["code"] for item in first["items"]] == ["B", "C"]
    assert [item["code"] for item in rest["items"]] == ["A"]
    assert client.get(SITES, {"limit": 500}).status_code == 422


def test_the_list_reads_the_sites_in_a_few_queries(client, sites, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert len(client.get(SITES).json()["items"]) == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"practice": "nonsense"}, "query.practice", "nonsense is not a practice of the list."),
        (
            {"worst_practice": "smoking"},
            "query.worst_practice",
            "smoking is not one of the four worst practices of Annex C.",
        ),
        (
            {"country": "COD", "admin_area": "Atlantis"},
            "query.admin_area",
            "No site of this country is in the area Atlantis.",
        ),
        (
            {"since": "2025-13-45"},
            "query.since",
            "Enter a date as year-month-day, e.g. 2025-01-31.",
        ),
        (
            {"since": "2025-06-01", "until": "2025-01-01"},
            "query.until",
            "The end of the period comes before its start.",
        ),
        ({"country": "XYZ"}, "query.country", "No country with the code 'XYZ'"),
    ],
)
def test_a_filter_that_is_not_understood_is_refused_and_named(
    client, sites, params, field, message
):
    for path in (SITES, "/api/v1/asgm/overview/COD"):
        if path != SITES and "country" in params and "admin_area" not in params:
            continue  # the overview's country is its path
        response = client.get(path, params)
        assert response.status_code == 400, (path, response.content)
        body = response.json()
        assert body["errors"] == [{"field": field, "message": message}]
        assert message in body["detail"]


def test_an_unknown_site_is_not_found(client, sites):
    response = client.get(f"{SITES}/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such site", "errors": []}


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _as_json(figures: dict) -> dict:
    return {key: _number(value) for key, value in figures.items()}


def test_the_overview_gives_the_figures_of_the_national_overview(client, sites):
    response = client.get("/api/v1/asgm/overview/cod")
    assert response.status_code == 200, response.content
    body = response.json()
    expected = queries.overview(Country.objects.get(iso3="COD"))

    assert body["country"] == "COD"
    assert body["totals"] == _as_json(expected["totals"])
    assert body["by_area"] == [_as_json(row) for row in expected["by_area"]]
    assert body["by_practice"] == [_as_json(row) for row in expected["by_practice"]]
    assert body["by_worst_practice"] == [_as_json(row) for row in expected["by_worst_practice"]]
    # The worked example, by hand: 12 + 54 + 0 kg low, 30 + 54 typical, 150 + 54 high.
    totals = body["totals"]
    assert (totals["sites"], totals["total_miners"]) == (3, 1050)
    assert (totals["mercury_low_kg"], totals["mercury_typical_kg"]) == (66.0, 84.0)
    assert totals["mercury_high_kg"] == 204.0
    assert [row["admin_area"] for row in body["by_area"]] == ["Kalehe", "Mwenga"]


def test_the_overview_takes_the_same_filters(client, sites):
    body = client.get("/api/v1/asgm/overview/COD", {"admin_area": "Mwenga"}).json()
    expected = queries.overview(
        Country.objects.get(iso3="COD"), queries.OverviewFilters(admin_area="Mwenga")
    )

    assert body["totals"] == _as_json(expected["totals"])
    assert body["totals"]["sites"] == 2
    assert [row["admin_area"] for row in body["by_area"]] == ["Mwenga"]


def test_the_overview_of_an_unknown_country_is_not_found_and_says_so(client, sites):
    response = client.get("/api/v1/asgm/overview/XYZ")
    assert response.status_code == 404
    assert response.json() == {"detail": "No country with the code 'XYZ'", "errors": []}


def test_a_country_without_sites_has_an_overview_of_zeros(client, sites):
    body = client.get("/api/v1/asgm/overview/GHA").json()
    assert body["totals"]["sites"] == 0
    assert body["totals"]["mercury_typical_kg"] == 0.0
    assert body["by_area"] == []
