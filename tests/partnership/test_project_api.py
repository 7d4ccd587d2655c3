"""The API lists and gives published projects, filtered as the list page filters them, and edits
them through the review layer's routes."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token

pytestmark = pytest.mark.django_db


def test_it_lists_published_projects_with_the_lists_filters(client, projects):
    body = client.get("/api/v1/partnership/projects", {"status": "ongoing"}).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["name"] == "Mercury-free gold processing in Madre de Dios"
    assert item["countries"] == ["PER"]
    assert item["partnership_areas"][0]["code"] == "asgm"
    assert client.get("/api/v1/partnership/projects").json()["count"] == 2


def test_it_refuses_an_unknown_filter_value(client, projects):
    response = client.get("/api/v1/partnership/projects", {"waste": "plutonium"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.waste"


def test_it_gives_one_project_and_hides_drafts(client, projects):
    item = client.get(f"/api/v1/partnership/projects/{projects['lamps'].pk}").json()
    assert (item["budget"], item["budget_currency"]) == ("250000.00", "USD")
    assert item["first_year"] == 2019 and item["last_year"] == 2022
    assert client.get(f"/api/v1/partnership/projects/{projects['draft'].pk}").status_code == 404


def test_an_editor_creates_a_project_and_a_bad_currency_is_named(client, owner, organization):
    token = do_create_api_token(owner, "test")[1]
    headers = {"Authorization": f"Bearer {token}"}
    data = {
        "name": "Dental amalgam separators in Swiss clinics",
        "organization": "batrec-industrie-ag",
        "countries": ["CHE"],
        "budget": "12000",
        "budget_currency": "CHX",
    }
    refused = client.post(
        "/api/v1/partnership/projects", data, content_type="application/json", headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "budget_currency",
            "message": "Unknown currency 'CHX'; use an ISO 4217 code (USD, EUR…)",
        }
    ]
    data["budget_currency"] = "CHF"
    created = client.post(
        "/api/v1/partnership/projects", data, content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    assert created.json()["review_state"] == "draft"
