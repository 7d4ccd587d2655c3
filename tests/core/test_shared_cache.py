"""The cache is shared by every process of the server: without a cache server it is the
database, so that sign-in failures counted by one gunicorn worker block the next attempt served
by another, and the administration's sign-in is throttled like the site's."""

import pytest
from django.conf import settings

from tests import served
from tests.conftest import PASSWORD, make_user

EMAIL = "target@example.org"

SIGN_IN = """
from django.test import Client
response = Client(HTTP_HOST="localhost").post(
    "/accounts/login/", {{"login": "{email}", "password": "{password}"}}
)
text = response.content.decode()
print("throttled" if response.status_code == 429 or "Too many failed" in text else
      "signed-in" if response.status_code == 302 else "refused")
"""

MAKE_USER = f"""
from mercuryhub.accounts.models import User
user = User.objects.create_user(email="{EMAIL}", password="{PASSWORD}", name="target")
user.emailaddress_set.create(email="{EMAIL}", verified=True, primary=True)
"""


def _shell(data_dir, code: str) -> str:
    result = served.mercuryhub(data_dir, "shell", "--no-imports", "-c", code, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_without_a_cache_server_the_cache_is_the_database():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.embedded_sqlite
def test_failures_counted_by_one_process_block_the_next_attempt_served_by_another(tmp_path):
    migrated = served.mercuryhub(tmp_path, "migrate", "--noinput", timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    _shell(tmp_path, MAKE_USER)
    for _attempt in range(5):  # each failure in a process of its own, like separate workers
        assert _shell(tmp_path, SIGN_IN.format(email=EMAIL, password="wrong")) == "refused"
    # The right password, in yet another process: still refused while the window lasts.
    assert _shell(tmp_path, SIGN_IN.format(email=EMAIL, password=PASSWORD)) == "throttled"


@pytest.mark.django_db
def test_the_administration_signs_in_through_the_throttled_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"
    # A password posted to the administration's old sign-in signs nobody in.
    administrator = make_user("ada.admin@unep.example")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    response = client.post("/admin/login/", {"username": EMAIL, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    for _attempt in range(5):
        client.post(
            "/accounts/login/?next=/admin/",
            {"login": "ada.admin@unep.example", "password": "wrong"},
        )
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": "ada.admin@unep.example", "password": PASSWORD},
    )
    assert response.status_code == 429 or "Too many failed" in response.content.decode()
    assert "_auth_user_id" not in client.session
