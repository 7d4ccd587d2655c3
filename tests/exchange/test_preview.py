"""The match preview without an account: the API and the "What do you need?" page."""

import json

import pytest

from mercuryhub.exchange.previews import PREVIEWS_PER_MINUTE

pytestmark = pytest.mark.django_db

PATH = "/api/v1/matches/preview"


def _post(client, body, **headers):
    return client.post(PATH, json.dumps(body), content_type="application/json", **headers)


def test_the_api_ranks_what_can_help_best_first_with_reasons(client, world):
    answer = _post(client, {"waste_categories": ["lamps"], "country": "GHA", "limit": 3})
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert len(items) == 3
    first = items[0]
    assert (first["type"], first["id"], first["title"]) == (
        "facility",
        world["tema"].pk,
        "Tema lamp depot",
    )
    assert first["url"] == f"http://testserver/catalogue/facilities/{world['tema'].pk}/"
    assert "in Ghana" in first["reasons"]
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)


def test_the_api_answers_in_the_language_asked_for(client, world):
    items = _post(
        client, {"waste_categories": ["lamps"], "country": "GHA"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).json()["items"]
    assert "pays : Ghana" in items[0]["reasons"]


def test_the_api_names_bad_fields_and_refuses_an_empty_need(client, world):
    answer = _post(client, {"country": "XXX", "phases": ["nope"]})
    assert answer.status_code == 422
    assert {error["field"] for error in answer.json()["errors"]} == {"country", "phases"}
    answer = _post(client, {})
    assert answer.status_code == 422
    assert "Say something about the need" in answer.json()["detail"]
    answer = _post(client, {"title": "Lamps", "budget": 3})
    assert answer.status_code == 422 and "budget" in answer.json()["detail"]


def test_previews_are_rate_limited_per_address(client, world):
    for _ in range(PREVIEWS_PER_MINUTE):
        assert _post(client, {"title": "lamps"}).status_code == 200
    refused = _post(client, {"title": "lamps"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "try again in a minute" in refused.json()["detail"]
    # Another address is not held back.
    assert _post(client, {"title": "lamps"}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_page_shows_the_same_matches_with_their_reasons(client, world):
    page = client.get("/exchange/what-do-you-need/")
    assert page.status_code == 200
    assert "Fill in at least one field" in page.content.decode()
    page = client.get(
        "/exchange/what-do-you-need/?waste_categories=lamps&country=GHA&languages=fr"
    ).content.decode()
    api = _post(client, {"waste_categories": ["lamps"], "country": "GHA", "languages": ["fr"]})
    titles = [item["title"] for item in api.json()["items"]]
    positions = [page.index(f">{title}</a>") for title in titles]
    assert positions == sorted(positions)  # the same order
    assert "speaks French" in page
    assert 'value="lamps" checked' in page and 'value="GHA" selected' in page


def test_the_page_names_a_bad_field_beside_the_form(client, world):
    page = client.get("/exchange/what-do-you-need/?country=XXX")
    assert page.status_code == 400
    assert "Unknown country code" in page.content.decode()


def test_a_posted_need_shows_its_matches_on_its_page_and_through_the_api(
    client, world, owner, organization
):
    from mercuryhub.exchange.models import Need
    from mercuryhub.review import actions

    need = actions.do_create_draft(
        "need",
        owner,
        {
            "name": "Spent lamps from schools",
            "description": "Schools in Accra replace fluorescent tubes and need a recycler.",
            "country": "GHA",
            "waste_categories": ["lamps"],
            "funding_status": "funded",
            "organization": "batrec-industrie-ag",
        },
    )
    need = actions.do_submit_entry("need", owner, need)
    need = Need.objects.get(pk=need.pk)
    assert need.published  # an editor of an organization: published on submission
    page = client.get(f"/exchange/needs/{need.pk}/").content.decode()
    assert "Who and what can help" in page
    assert ">Tema lamp depot</a>" in page and "in Ghana" in page
    items = client.get(f"/api/v1/needs/{need.pk}/matches?limit=3").json()["items"]
    assert items[0]["title"] == "Tema lamp depot"
    assert "in Ghana" in items[0]["reasons"]
    assert client.get("/api/v1/needs/999999/matches").status_code == 404
