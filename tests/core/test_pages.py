import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/taxonomy/",
    "/taxonomy/waste-categories/",
    "/taxonomy/countries/",
    "/organizations/",
    "/catalogue/search/?q=lamp",
    "/catalogue/",
    "/accounts/login/",
    "/accounts/signup/",
]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_page_renders_in_every_interface_language(client, language):
    for path in PAGES:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
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
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page


def test_the_language_switcher_remembers_the_choice(client):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


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
