"""The cache is shared by every process of the server: without a cache server it is the
database, so that sign-in failures counted by one gunicorn worker block the next attempt served
by another, and the administration's sign-in is throttled like the site's."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from tests import served
from tests.conftest import PASSWORD, make_user

EMAIL = "target@example.org"

SIGN_IN = """
from django.test import Client
for password in {passwords!r}:
    response = Client(HTTP_HOST="localhost").post(
        "/accounts/login/", {{"login": "{email}", "password": password}}
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


def _shell(data_dir, code: str) -> list[str]:
    result = served.mercuryhub(data_dir, "shell", "--no-imports", "-c", code, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def _sign_in(data_dir, *passwords) -> list[str]:
    return _shell(data_dir, SIGN_IN.format(email=EMAIL, passwords=passwords))


def test_without_a_cache_server_the_cache_is_the_database():
    assert isinstance(caches["default"], DatabaseCache)


@pytest.mark.embedded_sqlite
def test_failures_counted_by_one_process_block_the_next_attempt_served_by_another(
    tmp_path, prepared_data_dir
):
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path / "data")
    _shell(data_dir, MAKE_USER)
    # Five failures counted by one process, as one gunicorn worker would...
    assert _sign_in(data_dir, *["wrong"] * 5) == ["refused"] * 5
    # ... and the right password in another process: refused while the window lasts.
    assert _sign_in(data_dir, PASSWORD) == ["throttled"]


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
