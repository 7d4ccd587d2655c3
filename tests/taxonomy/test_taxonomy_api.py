import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_the_vocabularies_with_hyphenated_names(client):
    body = client.get("/api/v1/taxonomy").json()
    names = {vocabulary["name"] for vocabulary in body}
    assert {"waste-categories", "management-phases", "nap-elements", "working-groups"} <= names


def test_it_returns_a_vocabulary_as_a_paginated_list(client):
    body = client.get("/api/v1/taxonomy/waste-categories?limit=5&offset=0").json()
    assert body["count"] == 21
    assert len(body["items"]) == 5
    assert body["items"][0] == {
        "code": "consisting",
        "label": "Wastes consisting of mercury or mercury compounds",
        "parent": None,
        "synonyms": [
            "elemental mercury waste",
            "surplus mercury",
            "liquid mercury",
            "metallic mercury",
        ],
        "attributes": {},
    }
    second_page = client.get("/api/v1/taxonomy/waste-categories?limit=5&offset=5").json()
    assert second_page["items"][0]["code"] != body["items"][0]["code"]


def test_it_names_the_known_vocabularies_for_an_unknown_one(client):
    response = client.get("/api/v1/taxonomy/waste-kinds")
    assert response.status_code == 404
    assert response.json()["detail"].startswith(
        "Unknown vocabulary 'waste-kinds'; known vocabularies:"
    )
    assert response.json()["errors"] == []


def test_it_filters_countries_by_region_name_or_code(client):
    by_name = client.get("/api/v1/countries?region=South America&limit=200").json()
    by_code = client.get("/api/v1/countries?region=005&limit=200").json()
    assert by_name["count"] == by_code["count"] == 16
    assert "URY" in {country["iso3"] for country in by_name["items"]}
    assert client.get("/api/v1/countries?region=Africa").json()["count"] == 60


def test_it_lists_languages_and_the_un_ones(client):
    body = client.get("/api/v1/languages?un=true").json()
    assert body["count"] == 6
    assert client.get("/api/v1/languages").json()["count"] > 180


def test_a_malformed_parameter_gets_the_error_body_naming_it(client):
    response = client.get("/api/v1/countries?limit=many")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.limit"


def test_an_offset_beyond_any_list_is_refused_not_crashed(client):
    response = client.get("/api/v1/languages?offset=81190689318985895273037824")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.offset"
