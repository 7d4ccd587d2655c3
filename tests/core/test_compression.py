"""HTML pages are gzip-compressed for browsers that accept it; a page showing a secret is not
(BREACH). The API's JSON and GeoJSON are compressed too; its files to download are not."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_it_compresses_a_page_for_a_browser_that_accepts_gzip(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Find sound solutions" in gzip.decompress(response.content).decode()


def test_it_sends_a_page_uncompressed_to_a_browser_that_does_not_ask(client):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert "Find sound solutions" in response.content.decode()


def test_it_never_compresses_the_page_that_shows_a_new_api_token(client, owner):
    client.force_login(owner)
    response = client.post("/profile/", {"name": "import script"}, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.context["new_token"] in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/countries?limit=200", "/api/v1/openapi.json"])
def test_it_compresses_the_api_data(client, path):
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_it_leaves_a_spreadsheet_download_as_it_is(client):
    response = client.get("/api/v1/catalogue/export.xlsx", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
