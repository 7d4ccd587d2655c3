"""The list of open needs: filters by country, region, waste category (narrower ones included),
phase, support type and state; words through the search module; pages of twenty."""

import pytest

from tests.exchange.needs.conftest import post_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(owner, organization):
    slug = organization.slug
    return {
        "lamps": post_need(owner, organization=slug),
        "amalgam": post_need(
            owner,
            organization=slug,
            name="Dental amalgam separators for clinics",
            description="Clinics in Lima need amalgam separators and a collection service.",
            country="PER",
            waste_categories=["dental-amalgam"],
            phases=["collection"],
            support_types=["capacity-building"],
        ),
    }


def _names(client, **params):
    return client.get("/api/v1/needs", params).json()


def test_the_list_filters_by_country_region_phase_and_support_type(client, needs):
    assert [i["name"] for i in _names(client, country="PER")["items"]] == [needs["amalgam"].name]
    assert [i["name"] for i in _names(client, region="Africa")["items"]] == [needs["lamps"].name]
    assert _names(client, phase="collection")["count"] == 1
    assert _names(client, support_type="technical-assistance")["count"] == 1
    page = client.get("/exchange/needs/", {"region": "Latin America and the Caribbean"})
    body = page.content.decode()
    assert needs["amalgam"].name in body and needs["lamps"].name not in body


def test_a_broader_waste_category_finds_the_needs_about_narrower_ones(client, needs):
    found = _names(client, waste="containing")
    assert found["count"] == 2
    assert _names(client, waste="lamps")["count"] == 1


def test_words_are_looked_for_through_the_search_module(client, needs):
    found = _names(client, q="amalgam separators")
    assert [item["name"] for item in found["items"]] == [needs["amalgam"].name]
    body = client.get("/exchange/needs/", {"q": "fluorescent"}).content.decode()
    assert needs["lamps"].name in body and needs["amalgam"].name not in body


def test_unknown_codes_are_named(client, needs):
    answer = client.get("/api/v1/needs", {"waste": "plutonium", "state": "asleep"})
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"query.waste", "query.state"}
    page = client.get("/exchange/needs/", {"country": "ZZZ"})
    assert page.status_code == 400
    assert "Unknown country code" in page.content.decode()


def test_the_list_has_pages_of_twenty_and_a_fixed_number_of_queries(
    client, owner, organization, django_assert_max_num_queries
):
    for number in range(23):
        post_need(owner, organization=organization.slug, name=f"Need number {number}")
    with django_assert_max_num_queries(20):
        first = client.get("/exchange/needs/").content.decode()
    assert "Page 1 of 2" in first
    assert "Need number 22" in first and "Need number 2<" not in first
    second = client.get("/exchange/needs/", {"page": 2}).content.decode()
    assert "Need number 0" in second
    assert client.get("/api/v1/needs", {"limit": 5, "offset": 20}).json()["count"] == 23


def test_a_visitor_is_asked_to_sign_in_to_post_a_need(client, signed_in, owner):
    page = client.get("/exchange/needs/").content.decode()
    assert 'href="/accounts/login/?next=/catalogue/new/need/"' in page
    assert "Sign in to post a need" in page
    mine = signed_in(owner).get("/exchange/needs/").content.decode()
    assert 'href="/catalogue/new/need/"' in mine
