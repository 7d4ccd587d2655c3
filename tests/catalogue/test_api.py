import json

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "thermometer"}, ["Batrec Wimmis plant"]),
        (
            {"waste": "chlor-alkali", "sort": "name"},
            [
                "econ mobile vacuum thermal desorption",
                "MAYASA Almadén stabilization plant",
                "Santos chlor-alkali residue landfill",
            ],
        ),
        (
            {"waste": "containing", "sort": "name"},
            ["Batrec Wimmis plant", "Planta de lámparas Montevideo"],
        ),
        ({"technology": "stabilization-sulfide"}, ["MAYASA Almadén stabilization plant"]),
        ({"country": "URY"}, ["Planta de lámparas Montevideo"]),
        (
            {"country": "URY,BRA", "sort": "name"},
            ["Planta de lámparas Montevideo", "Santos chlor-alkali residue landfill"],
        ),
        (
            {"region": "South America", "sort": "name"},
            ["Planta de lámparas Montevideo", "Santos chlor-alkali residue landfill"],
        ),
        ({"status": "closed"}, ["Santos chlor-alkali residue landfill"]),
        ({"language": "es"}, ["Planta de lámparas Montevideo"]),
        ({"validated": "true"}, []),
    ],
)
def test_every_facility_filter(client, facilities, params, expected):
    if "language" in params:
        facilities["montevideo"].languages.set(["es"])
    assert _names(client.get("/api/v1/facilities", params)) == expected


def test_a_phase_filter(client, facilities):
    facilities["mayasa"].phases.set(
        [t for t in facilities["mayasa"].accepted_wastes.model.objects.filter(code="disposal")]
    )
    assert _names(client.get("/api/v1/facilities", {"phase": "disposal"})) == [
        "MAYASA Almadén stabilization plant"
    ]


def test_facility_items_carry_the_external_id_and_a_snippet(client, facilities):
    item = client.get("/api/v1/facilities", {"q": "cinnabar"}).json()["items"][0]
    assert item["external_id"] == "mayasa"
    assert item["snippet"] == (
        "Stabilizes surplus mercury from chlor-alkali plants as <mark>cinnabar</mark>"
        " at a former mine."
    )
    assert item["country"] == "ESP"
    assert [term["code"] for term in item["accepted_wastes"]] == [
        "elemental-mercury",
        "chlor-alkali",
    ]


def test_lists_are_paginated(client, facilities):
    body = client.get("/api/v1/facilities", {"limit": 2, "offset": 2, "sort": "name"}).json()
    assert body["count"] == 5
    assert [i["name"] for i in body["items"]] == [
        "Planta de lámparas Montevideo",
        "Santos chlor-alkali residue landfill",
    ]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"waste": "quicksilver"}, "query.waste", "Unknown waste code 'quicksilver'"),
        ({"country": "XX1"}, "query.country", "Unknown country code 'XX1'"),
        ({"status": "open"}, "query.status", "Unknown status"),
        ({"sort": "distance"}, "query.sort", "Sorting by distance needs a point"),
        ({"lat": "95", "lon": "0"}, "query.lat", "Latitude must be between -90 and 90"),
        ({"limit": "ten"}, "query.limit", "valid integer"),
    ],
)
def test_bad_filters_get_an_error_naming_the_parameter(client, params, field, message):
    response = client.get("/api/v1/facilities", params)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert message in errors[0]["message"]


def test_nearest_lists_facilities_accepting_the_waste_by_distance(client, facilities):
    body = client.get(
        "/api/v1/facilities/nearest", {"lat": -32.5, "lon": -55.8, "waste": "chlor-alkali"}
    ).json()
    names = [item["name"] for item in body["items"]]
    assert names == ["MAYASA Almadén stabilization plant", "econ mobile vacuum thermal desorption"]
    distances = [item["distance_km"] for item in body["items"]]
    assert distances == sorted(distances)
    assert all(item["transboundary"] for item in body["items"])
    assert body["basel_guidance_url"].startswith("http://www.basel.int/")


def test_nearest_includes_closed_facilities_only_when_asked(client, facilities):
    body = client.get(
        "/api/v1/facilities/nearest",
        {"lat": -32.5, "lon": -55.8, "waste": "chlor-alkali", "include_closed": "true"},
    ).json()
    first = body["items"][0]
    assert (first["name"], first["status"], first["country"]) == (
        "Santos chlor-alkali residue landfill",
        "closed",
        "BRA",
    )


def test_nearest_from_a_country_marks_facilities_at_home_as_not_transboundary(client, facilities):
    body = client.get("/api/v1/facilities/nearest", {"country": "URY", "waste": "lamps"}).json()
    first = body["items"][0]
    assert (first["name"], first["transboundary"]) == ("Planta de lámparas Montevideo", False)
    assert body["items"][1]["transboundary"] is True


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 123, "lon": 0, "waste": "lamps"}, "query.lat"),
        ({"lat": 0, "lon": 200, "waste": "lamps"}, "query.lon"),
        ({"lat": 0, "waste": "lamps"}, "query.lon"),
        ({"lat": 0, "lon": 0, "waste": "mercury"}, "query.waste"),
        ({"country": "ZZZ", "waste": "lamps"}, "query.country"),
        ({"waste": "lamps"}, "query.lat"),
    ],
)
def test_nearest_refuses_bad_input_with_the_field_named(client, params, field):
    response = client.get("/api/v1/facilities/nearest", params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_the_geojson_is_valid_and_filtered(client, facilities):
    body = json.loads(
        client.get("/api/v1/facilities.geojson", {"waste": "chlor-alkali"}).getvalue()
    )
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 3
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert {"id", "name", "status", "url"} <= feature["properties"].keys()
    mayasa = next(f for f in body["features"] if f["properties"]["external_id"] == "mayasa")
    assert mayasa["geometry"]["coordinates"] == [-4.84, 38.77]


def test_the_geojson_is_served_as_geo_json_with_every_match_and_no_paging(client, facilities):
    response = client.get("/api/v1/facilities.geojson", {"limit": 1, "offset": 2})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    names = [f["properties"]["name"] for f in json.loads(response.getvalue())["features"]]
    assert len(names) == 5  # every facility, though limit and offset were sent
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/facilities.geojson"]
    parameters = {parameter["name"] for parameter in operation["get"]["parameters"]}
    assert not parameters & {"limit", "offset"}
    assert list(operation["get"]["responses"]["200"]["content"]) == ["application/geo+json"]


def test_search_returns_one_ranked_list_across_types(client, facilities, expert, offering):
    body = client.get("/api/v1/search", {"q": "lamp"}).json()
    types = {item["type"] for item in body["items"]}
    assert types == {"facility", "expert", "offering"}
    first = body["items"][0]
    assert set(first) == {"type", "id", "title", "url", "score", "snippet"}
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    only_experts = client.get("/api/v1/search", {"q": "lamp", "type": "expert"}).json()
    assert [item["title"] for item in only_experts["items"]] == ["Ana Pereira"]


def test_search_needs_words(client):
    response = client.get("/api/v1/search", {"q": "!!!"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.q"


def test_offerings_and_experts_are_listed(client, offering, expert):
    assert _names(client.get("/api/v1/offerings", {"waste": "lamps"})) == ["Lamp recycling system"]
    assert _names(client.get("/api/v1/experts", {"language": "es"})) == ["Ana Pereira"]
    assert client.get(f"/api/v1/offerings/{offering.pk}").json()["regions_served"] == [
        "Africa",
        "Asia",
    ]


@pytest.mark.parametrize(
    ("persona", "sees_email"), [("anonymous", False), ("registered", False), ("reviewer", True)]
)
def test_an_experts_email_goes_to_the_secretariat_only(client, expert, persona, sees_email):
    headers = {}
    if persona != "anonymous":
        user = make_user(f"{persona}@example.org", "reviewer" if persona == "reviewer" else "user")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {do_create_api_token(user, 't')[1]}"
    listed = client.get("/api/v1/experts", **headers).json()["items"][0]
    single = client.get(f"/api/v1/experts/{expert.pk}", **headers).json()
    search = client.get("/api/v1/search", {"q": "Pereira"}, **headers).content.decode()
    expected = "ana.pereira@example.org" if sees_email else None
    assert listed["email"] == single["email"] == expected
    assert "ana.pereira@example.org" not in search
    assert single["contact_url"] == f"/catalogue/experts/{expert.pk}/contact/"


def test_an_expert_without_consent_is_not_published(client, expert):
    expert.consent_to_publication = False
    expert.save()
    assert client.get(f"/api/v1/experts/{expert.pk}").status_code == 404
    assert client.get("/api/v1/experts").json()["count"] == 0
