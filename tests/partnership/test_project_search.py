"""The one search finds published projects by their words, their waste categories' synonyms and
their countries, on the search page and in the API; a draft never."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_search_page_finds_a_project_with_a_type_of_its_own(client, projects):
    response = client.get("/catalogue/search/", {"q": "Madre de Dios"})
    page = response.content.decode()
    assert "Mercury-free gold processing in Madre de Dios" in page
    assert 'class="hit panel hit-project"' in page
    assert "Projects" in page


def test_a_waste_synonym_finds_the_project_on_it(client, projects):
    found = client.get("/api/v1/search", {"q": "fluorescent tubes", "type": "project"}).json()
    assert [item["title"] for item in found["items"]] == ["Fluorescent lamp collection in Ghana"]


def test_a_draft_is_not_found(client, projects):
    found = client.get("/api/v1/search", {"q": "Chile battery", "type": "project"}).json()
    assert found["count"] == 0
