"""Posting a need through the web form and the API, and the messages that name bad fields."""

import pytest

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.exchange.models import Need
from mercuryhub.review.models import ReviewState
from tests.exchange.needs.conftest import LAMPS

pytestmark = pytest.mark.django_db

FORM = {
    "name": LAMPS["name"],
    "description": LAMPS["description"],
    "content_language": "en",
    "country": "GHA",
    "waste_categories": ["lamps"],
    "phases": ["treatment"],
    "support_types": ["technical-assistance"],
    "languages": ["en", "fr"],
    "needed_from": "2026-09-01",
    "needed_by": LAMPS["needed_by"],
    "funding_status": "seeking-funding",
    "visibility": "public",
    "organization": "",
}


def test_a_signed_in_person_posts_a_need_through_the_form(signed_in, newcomer):
    client = signed_in(newcomer)
    page = client.get("/catalogue/new/need/")
    assert page.status_code == 200
    assert "Post a need" in page.content.decode()
    assert "exchange/similar_needs.js" in page.content.decode()
    response = client.post("/catalogue/new/need/", {**FORM, "submit_for_review": "1"})
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.owner == newcomer
    assert need.review_state == ReviewState.SUBMITTED
    assert need.needed_from.isoformat() == "2026-09-01"
    assert sorted(need.waste_categories.values_list("code", flat=True)) == ["lamps"]
    assert need.funding_status.code == "seeking-funding"
    assert need.state == Need.State.OPEN


def test_the_form_names_the_fields_at_fault(signed_in, newcomer):
    client = signed_in(newcomer)
    response = client.post("/catalogue/new/need/", {**FORM, "name": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    response = client.post(
        "/catalogue/new/need/", {**FORM, "needed_from": "2027-07-01", "needed_by": "2027-06-30"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The end of the timeframe (2027-06-30) is before its start (2027-07-01)" in body
    assert not Need.objects.exists()


def test_a_need_is_posted_and_submitted_through_the_api(client, owner, organization):
    token = do_create_api_token(owner, "t")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = client.post(
        "/api/v1/needs",
        {**LAMPS, "organization": organization.slug, "name_fr": "Traitement de lampes"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    state = created.json()
    assert state["review_state"] == "draft"
    assert state["data"]["funding_status"] == "seeking-funding"
    assert state["data"]["name_fr"] == "Traitement de lampes"
    submitted = client.post(f"/api/v1/needs/{state['id']}/submit", **headers)
    # An editor of an organization: published on submission.
    assert submitted.json()["review_state"] == "validated"
    assert submitted.json()["published"] is True
    read = client.get(f"/api/v1/needs/{state['id']}?lang=fr").json()
    assert read["name"] == "Traitement de lampes"
    assert read["state"] == "open"
    assert read["funding_status"]["code"] == "seeking-funding"


def test_the_api_names_each_bad_field(client, owner):
    token = do_create_api_token(owner, "t")[1]
    response = client.post(
        "/api/v1/needs",
        {
            **LAMPS,
            "country": "XXX",
            "funding_status": "rich",
            "needed_by": "next June",
            "visibility": "secret",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"country", "funding_status", "needed_by", "visibility"} <= fields
    assert not Need.objects.exists()


def test_a_need_without_title_description_or_funding_status_is_refused(client, owner):
    token = do_create_api_token(owner, "t")[1]
    response = client.post(
        "/api/v1/needs",
        {"country": "GHA"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"name", "description", "funding_status"} <= fields


def test_a_need_cannot_be_posted_for_a_date_already_past(client, owner):
    from mercuryhub.lib.errors import InvalidInputError
    from mercuryhub.review import actions as review_actions

    with pytest.raises(InvalidInputError) as error:
        review_actions.do_create_draft("need", owner, {**LAMPS, "needed_by": "2020-01-31"})
    assert error.value.errors == {"needed_by": "2020-01-31 is in the past; give a date still ahead"}
    need = review_actions.do_create_draft("need", owner, LAMPS)
    # An edit that leaves the date alone is fine; one that moves it to the past is not.
    need = review_actions.do_edit_entry(
        "need", owner, need, {"description": "Now 3 tonnes."}, base_version=1
    )
    with pytest.raises(InvalidInputError):
        review_actions.do_edit_entry(
            "need", owner, need, {"needed_by": "2021-05-01"}, base_version=2
        )
