"""App users: ``mercuryhub collect-user`` prints a server address with the key in it that ODK
Collect can be pointed at directly; the app user's page shows it and its settings QR code."""

import base64
import io
import json
import re
import zlib

import pytest
from django.core.management import call_command

from mercuryhub.forms.collect_settings import settings_code
from mercuryhub.forms.models import AppUser
from tests.forms.conftest import Collect

pytestmark = pytest.mark.django_db


def test_collect_user_prints_an_address_collect_can_use_directly(client, baseline, settings):
    settings.SITE_URL = "https://mercuryhub.example.org"
    out = io.StringIO()

    call_command("collect-user", "kamituga", "Field team 2", stdout=out)

    address = out.getvalue().strip()
    app_user = AppUser.objects.get(display_name="Field team 2")
    assert address == f"https://mercuryhub.example.org/v1/key/{app_user.token}/projects/kamituga"
    response = Collect(client, address.removeprefix("https://mercuryhub.example.org")).form_list()
    assert response.status_code == 200
    assert b"<formID>asgm_site_baseline</formID>" in response.content


def test_collect_user_names_an_unknown_project(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No project 'nowhere'"):
        call_command("collect-user", "nowhere", "Team")


def test_the_settings_code_is_collects_deflated_json(app_user):
    url = f"https://host/v1/key/{app_user.token}/projects/kamituga"

    settings = json.loads(zlib.decompress(base64.b64decode(settings_code(url, app_user))))

    assert settings == {
        "general": {
            "server_url": url,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": "Kamituga ASGM baseline (Field team 1)"},
    }


def test_the_app_users_page_shows_the_address_and_the_qr_code_to_managers(
    signed_in, reviewer, app_user
):
    response = signed_in(reviewer).get(f"/projects/kamituga/app-users/{app_user.pk}/")

    page = response.content.decode()
    assert f"http://testserver/v1/key/{app_user.token}/projects/kamituga" in page
    assert re.search(r"<svg[^>]*>.*<path", page, re.S)
    assert response.get("Content-Encoding") != "gzip"  # it shows a secret


def test_creating_and_revoking_an_app_user_on_the_web(signed_in, reviewer, project):
    client = signed_in(reviewer)

    created = client.post("/projects/kamituga/app-users/", {"display_name": "Team 3"})
    app_user = AppUser.objects.get(display_name="Team 3")
    revoked = client.post(f"/projects/kamituga/app-users/{app_user.pk}/revoke/")

    assert created.status_code == revoked.status_code == 302
    app_user.refresh_from_db()
    assert app_user.revoked_at is not None
    page = client.get(f"/projects/kamituga/app-users/{app_user.pk}/").content.decode()
    assert app_user.token not in page and "<svg" not in page
