import pytest

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_vocabulary_and_the_country_table(client):
    page = client.get("/taxonomy/").content.decode()
    assert "Waste categories" in page
    assert "NAP elements" in page
    assert "/api/v1/taxonomy/waste-categories" in page
    assert "249" in page


def test_the_waste_categories_page_shows_the_tree_and_synonyms(client):
    page = client.get("/taxonomy/waste-categories/").content.decode()
    containing = page.index('id="term-containing"')
    lamps = page.index('id="term-lamps"')
    contaminated = page.index('id="term-contaminated"')
    assert containing < lamps < contaminated
    assert "compact fluorescent lamp" in page


def test_the_country_list_filters_by_region(client):
    page = client.get("/taxonomy/countries/", {"region": "South America"}).content.decode()
    assert "Uruguay" in page
    assert "Kenya" not in page


def test_an_unknown_vocabulary_page_is_not_found(client):
    assert client.get("/taxonomy/nothing-here/").status_code == 404
