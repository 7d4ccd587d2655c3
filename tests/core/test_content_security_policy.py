"""The Content Security Policy: scripts only from the site's files, never inline, on every page;
the templates hold no inline script and no on… attribute (tests/browser/test_accessibility.py
also loads every page in Chromium and fails on any violation the browser reports)."""

import re
from pathlib import Path

import pytest

from mercuryhub.core.middleware import content_security_policy
from tests.core.test_pages import PAGES

SOURCE = Path(__file__).resolve().parents[2] / "src" / "mercuryhub"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def _templates():
    return sorted(SOURCE.glob("*/templates/**/*.html"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*PAGES, "/api/v1/docs", "/catalogue/map/", "/exchange/needs/"])
def test_every_page_answers_with_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script.split() == ["script-src", "'self'"]


def test_a_configured_tile_server_may_send_images(settings):
    settings.MAP_TILE_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    images = next(p for p in content_security_policy().split("; ") if p.startswith("img-src"))
    assert images == "img-src 'self' data: https://*.tile.openstreetmap.org"
    settings.MAP_TILE_URL = ""
    assert "openstreetmap" not in content_security_policy()


def test_a_library_file_keeps_its_own_stricter_policy(client):
    # The view of a stored file sets "default-src 'none'; sandbox": the middleware keeps it.
    from django.http import HttpResponse

    from mercuryhub.core.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("file")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(None)
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(SOURCE)))
def test_no_template_holds_an_inline_script_or_event_attribute(template):
    text = template.read_text(encoding="utf-8")
    for attributes in SCRIPT_TAG.findall(text):
        inline = "src=" not in attributes and "application/json" not in attributes
        assert not inline, f"{template.name}: an inline <script{attributes}>"
    assert not EVENT_ATTRIBUTE.search(text), f"{template.name}: an on… attribute"
