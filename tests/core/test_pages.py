import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/taxonomy/",
    "/taxonomy/waste-categories/",
    "/taxonomy/countries/",
    "/open-data/",
    "/organizations/",
    "/catalogue/search/?q=lamp",
    "/catalogue/",
    "/accounts/login/",
    "/accounts/signup/",
]


def _in(language: str, path: str) -> str:
    """The page's address in a language: English without a prefix, the others with theirs."""
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_page_renders_in_every_interface_language(client, language):
    for path in PAGES:
        response = client.get(_in(language, path))
        assert response.status_code == 200, path
        page = response.content.decode()
        assert f'<html lang="{language}"' in page
        assert ('dir="rtl"' in page) is (language == "ar")


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Find sound solutions for mercury wastes"),
        ("fr", "Trouvez des solutions"),
        ("es", "Encuentre soluciones"),
    ],
)
def test_the_home_page_is_translated(client, language, heading):
    page = client.get(_in(language, "/")).content.decode()
    assert heading in page


def test_the_language_switcher_keeps_the_page_in_the_chosen_language(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/catalogue/?q=lamp"})
    assert response["Location"] == "/ar/catalogue/?q=lamp"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/ar/catalogue/"})
    assert response["Location"] == "/catalogue/"


def test_a_link_shared_in_a_language_opens_in_it_whatever_the_visitors_settings(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/es/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="es"' in page and "Encuentre soluciones" in page
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_an_unknown_language_prefix_is_not_found(client):
    assert client.get("/xx/catalogue/").status_code == 404


def test_every_page_declares_its_address_in_each_language(client):
    page = client.get("/fr/catalogue/search/?q=lamp").content.decode()
    for hreflang, address in [
        ("en", "http://testserver/catalogue/search/?q=lamp"),
        ("fr", "http://testserver/fr/catalogue/search/?q=lamp"),
        ("zh-Hans", "http://testserver/zh-hans/catalogue/search/?q=lamp"),
        ("ar", "http://testserver/ar/catalogue/search/?q=lamp"),
        ("x-default", "http://testserver/catalogue/search/?q=lamp"),
    ]:
        assert f'<link rel="alternate" hreflang="{hreflang}" href="{address}">' in page


def test_the_layout_has_landmarks_a_skip_link_and_labelled_search(client):
    page = client.get("/").content.decode()
    for landmark in (
        'role="banner"',
        "<nav",
        '<main id="main"',
        'role="contentinfo"',
        'role="search"',
    ):
        assert landmark in page
    assert 'href="#main"' in page
    assert '<label for="header-q"' in page
    assert 'name="viewport"' in page


def test_the_home_page_says_what_mercuryhub_is_for(client):
    page = client.get("/").content.decode()
    assert "Mercury Waste Management Area" in page
    assert "National Action Plan" in page


def test_the_header_search_goes_to_the_catalogue_search(client):
    page = client.get("/").content.decode()
    assert 'action="/catalogue/search/"' in page


def test_a_nul_character_in_a_parameter_is_refused_with_a_message(client):
    response = client.get("/api/v1/countries", {"region": "Afr\x00ica"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "query.region",
            "message": "'region' contains the control character NUL (U+0000)",
        }
    ]
    page = client.get("/organizations/", {"q": "a\x00"})
    assert page.status_code == 400
    assert b"'q' contains the control character NUL (U+0000)" in page.content


def test_a_back_link_points_back_in_the_reading_direction(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    page = client.get("/ar/taxonomy/countries/").content.decode()
    assert '<span class="back-arrow" aria-hidden="true"></span>' in page
    stylesheet = Path(finders.find("core/site.css")).read_text(encoding="utf-8")
    assert '[dir="rtl"] .back-arrow::before { content: "→ "; }' in stylesheet


def test_a_browser_asking_for_favicon_ico_gets_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/core/favicon")
