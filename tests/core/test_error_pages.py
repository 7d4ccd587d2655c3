"""The 403, 404 and 500 pages: in the site's layout, in the visitor's language, with debug off
(as pytest-django runs every test), and the 500 page even when the database cannot be reached."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from mercuryhub import urls


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [
    *i18n_patterns(
        path("forbidden/", _forbidden),
        path("broken/", _broken),
        prefix_default_language=False,
    ),
    *urls.urlpatterns,
]


def _in(language: str, path: str) -> str:
    return path if language == "en" else f"/{language}{path}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Page not found"), ("fr", "Page introuvable"), ("es", "Página no encontrada")],
)
def test_an_unknown_address_shows_the_styled_not_found_page(client, language, heading):
    response = client.get(_in(language, "/no-such-page/"))
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f'<html lang="{language}"' in page
    assert 'class="site-header"' in page
    assert "URLconf" not in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refused_page_shows_the_styled_access_denied_page_with_a_way_to_sign_in(client):
    response = client.get("/fr/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Accès refusé</h1>" in page
    assert 'class="site-header"' in page
    assert 'href="/fr/accounts/login/?next=/fr/forbidden/">Connectez-vous</a>' in page


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Something went wrong on our side"), ("es", "Algo ha fallado por nuestra parte")],
)
def test_a_failing_view_shows_the_styled_server_error_page_without_the_database(language, heading):
    # No database access is allowed in this test: the page must render with the database down.
    client = Client(raise_request_exception=False)
    response = client.get(_in(language, "/broken/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page
    assert "a bug in a view" not in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_gets_the_styled_page_saying_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/es/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert '<html lang="es"' in page
    assert "recargue la página" in page
    assert "CSRF" not in page
