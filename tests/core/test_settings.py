"""Production settings refuse unsafe configuration; checked in a fresh interpreter each time,
because settings are read once, at start-up."""

import os

import pytest

from tests import served

SECRET = "mercuryhub-test-secret-9f8e7d6c5b4a3928171605f4e3d2c1b0a9"


def _start(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        MERCURYHUB_ENV="production",
        MERCURYHUB_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="mercuryhub.settings",
    )
    environment.update(env)
    return served.python(
        ["-m", "mercuryhub.cli", "check", "--deploy", "--fail-level", "WARNING"],
        environment,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"ALLOWED_HOSTS": "mercuryhub.example.org"},
            "SECRET_KEY (or SECRET_KEY_FILE) must be set",
        ),
        (
            {"SECRET_KEY": "short", "ALLOWED_HOSTS": "mercuryhub.example.org"},
            "at least 50 characters",
        ),
        ({"SECRET_KEY": SECRET}, "ALLOWED_HOSTS must list the host names"),
        (
            {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "a.example", "DEBUG": "true"},
            "DEBUG must be off",
        ),
        (
            {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "a.example", "DEBUG": "perhaps"},
            "DEBUG must be a boolean",
        ),
        (
            {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "a.example", "GUNICORN_WORKERS": "0"},
            "GUNICORN_WORKERS must be at least 1",
        ),
    ],
)
def test_production_refuses_unsafe_configuration(tmp_path, env, message):
    result = _start(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_passes_the_deployment_checks_when_configured(tmp_path):
    result = _start(tmp_path, SECRET_KEY=SECRET, ALLOWED_HOSTS="mercuryhub.example.org")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    result = _start(tmp_path, SECRET_KEY_FILE=str(secret_file), ALLOWED_HOSTS="a.example")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MERCURYHUB_ENV": "production"}, "600 2147418112 -65536"),
        ({"MERCURYHUB_ENV": "production", "DATABASE_CONN_MAX_AGE": "0"}, "0 2147418112 -65536"),
        ({"MERCURYHUB_ENV": "development"}, "0 2147418112 -65536"),
    ],
)
def test_production_keeps_its_database_connections_and_maps_the_sqlite_file(
    tmp_path, env, expected
):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_CONN_MAX_AGE", "MERCURYHUB_ENV"}
    }
    environment.update(
        MERCURYHUB_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="mercuryhub.settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="a.example",
        **env,
    )
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA mmap_size')\n"
        "    mapped = cursor.fetchone()[0]\n"
        "    cursor.execute('PRAGMA cache_size')\n"
        "    cached = cursor.fetchone()[0]\n"
        "print(connection.settings_dict['CONN_MAX_AGE'], mapped, cached)\n"
    )
    result = served.python(["-c", script], environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == expected.split()


def test_production_secures_cookies_and_sends_hsts(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"}
    }
    environment.update(
        MERCURYHUB_ENV="production",
        MERCURYHUB_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="mercuryhub.settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="a.example",
    )
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "DEBUG",
    ]
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        f"print(*[getattr(settings, name) for name in {names!r}])\n"
        "print('csp' if any('ContentSecurityPolicy' in m for m in settings.MIDDLEWARE) else '')\n"
    )
    result = served.python(["-c", script], environment, timeout=120)
    assert result.returncode == 0, result.stderr
    values, policy = result.stdout.splitlines()[-2:]
    assert values.split() == [
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
        "DENY",
        "False",
    ]
    assert policy == "csp"
