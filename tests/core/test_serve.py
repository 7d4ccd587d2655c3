"""`mercuryhub serve` prepares an empty SQLite database and serves it, as a newcomer runs it."""

import gzip
import os
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import served

pytestmark = pytest.mark.embedded_sqlite


def _environment(tmp_path):
    return served.environment(tmp_path)


def _counts(database):
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "taxonomy_term",
                "taxonomy_country",
                "taxonomy_language",
                "taxonomy_historicalterm",
            )
        }


def _catalogue_counts(database):
    with sqlite3.connect(database) as connection:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "catalogue_facility",
                "catalogue_historicalfacility",
                "accounts_organization",
                "search_searchentry",
            )
        }
        counts["published_offerings"] = connection.execute(
            "SELECT count(*) FROM catalogue_offering WHERE published"
        ).fetchone()[0]
        return counts


def test_serve_prepares_an_empty_directory_once_and_a_second_run_changes_nothing(
    prepared_data_dir, tmp_path
):
    # The first run, on an empty directory, is the one every test's prepared copy comes from.
    first = (prepared_data_dir / served.FIRST_RUN).read_text()
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path / "data")
    database = data_dir / "mercuryhub.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    counts, catalogue = _counts(database), _catalogue_counts(database)
    assert counts["taxonomy_country"] == 249
    assert "Built-in form wma_needs, version 2: deployed" in first
    assert "Built-in form asgm_site_baseline, version 2: deployed" in first
    assert "Starter data, facilities: 44 created, 0 updated, 0 unchanged" in first
    assert "Starter data, offerings: 30 created, 0 updated, 0 unchanged" in first
    assert "Starter data, resources: 34 created, 0 updated, 0 unchanged" in first
    assert "Starter data, events: 7 created, 0 updated, 0 unchanged" in first
    assert "Starter data, projects: 9 created, 0 updated, 0 unchanged" in first
    assert "Reference data, NAP statuses: 40 created, 0 updated, 0 unchanged" in first
    assert "Reference data, NAP budget lines: 1221 created, 0 updated, 0 unchanged" in first
    assert "Reference data, working groups: 3 created, 0 updated, 0 unchanged" in first
    assert catalogue["catalogue_facility"] == 44
    assert catalogue["published_offerings"] == 30
    # The entries, and the organizations that operate or provide them (search finds them too).
    entries = 44 + 30 + 34 + 7 + 9  # facilities, offerings, resources, events, projects
    assert catalogue["search_searchentry"] == entries + catalogue["accounts_organization"]

    second = served.mercuryhub(data_dir, "serve", "--prepare-only")

    assert second.returncode == 0, second.stderr
    assert "0 created, 0 updated" in second.stdout
    assert "Starter data: skipped, the platform already has 44 facilities" in second.stdout
    assert "Starter data: skipped, the platform already has 30 offerings" in second.stdout
    assert "Starter data: skipped, the platform already has 34 resources" in second.stdout
    assert "Starter data: skipped, the platform already has 7 events" in second.stdout
    assert "Starter data: skipped, the platform already has 9 projects" in second.stdout
    assert "NAP budget lines: 0 created, 0 updated, 1221 unchanged" in second.stdout
    assert "Reference data, working groups: 0 created, 0 updated, 3 unchanged" in second.stdout
    # The built-in forms are in the project demo once.
    assert "Built-in form wma_needs, version 2: unchanged" in second.stdout
    assert _counts(database) == counts
    assert _catalogue_counts(database) == catalogue


def test_serve_indexes_again_entries_whose_tags_an_earlier_version_indexed_as_words(
    prepared_data_dir, tmp_path
):
    """Entries indexed before tags were tokens (search 0007) hold their tags' words, which no
    search reads: `serve` finds them and rebuilds the index, after which their tags find them."""
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path / "data")
    database = data_dir / "mercuryhub.sqlite3"
    with sqlite3.connect(database) as connection:
        tagged = connection.execute(
            "SELECT count(*) FROM search_searchentry WHERE tags <> ''"
        ).fetchone()[0]
        assert tagged > 50
        connection.execute(
            "UPDATE search_searchentry SET tags = 'Mercury lamps · fluorescent lamps'"
            " WHERE tags <> ''"
        )
    assert "Search index rebuilt" not in (prepared_data_dir / served.FIRST_RUN).read_text()

    again = served.mercuryhub(data_dir, "serve", "--prepare-only")

    assert again.returncode == 0, again.stderr
    assert "Search index rebuilt" in again.stdout
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT tags FROM search_searchentry WHERE tags <> ''").fetchall()
    assert len(rows) == tagged
    assert all(tags.startswith("\ue000") for (tags,) in rows)
    quiet = served.mercuryhub(data_dir, "serve", "--prepare-only")
    assert "Search index rebuilt" not in quiet.stdout


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(tmp_path, *arguments, **env):
    """`mercuryhub serve` on a free loopback port, in a process group of its own (the development
    server's reloader runs the server in a child process)."""
    port = _free_port()
    environment = _environment(tmp_path)
    environment.update(env)
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "mercuryhub.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *arguments,
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    return server, f"http://127.0.0.1:{port}"


def _stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_serve_runs_gunicorn_with_debug_off_compressed_pages_and_cached_static_files(
    prepared_data_dir, tmp_path
):
    served.copy_prepared(prepared_data_dir, tmp_path)
    server, address = _start(tmp_path, "--workers", "2")
    try:
        body = _wait_for(f"{address}/", server)
        assert "Find sound solutions for mercury wastes" in body

        status, headers, page = _get(f"{address}/", **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        # Downloads of the whole catalogue stream for longer than gunicorn's own 30 s.
        command = Path(f"/proc/{server.pid}/cmdline").read_bytes().split(b"\0")
        assert command[command.index(b"--timeout") + 1] == b"900"
        assert headers["Content-Encoding"] == "gzip"
        assert "Find sound solutions" in gzip.decompress(page).decode()

        status, _headers, page = _get(f"{address}/no-such-page/")
        assert status == 404
        assert "<h1>Page not found</h1>" in page.decode()
        assert 'class="site-header"' in page.decode()
        assert "URLconf" not in page.decode()

        stylesheet = re.search(r'href="(/static/core/site\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, "the layout links the fingerprinted stylesheet"
        status, headers, css = _get(address + stylesheet[1], **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
        assert "--accent" in gzip.decompress(css).decode()
    finally:
        _stop(server)
    secret_key = tmp_path / "secret_key"
    assert stat.S_IMODE(secret_key.stat().st_mode) == 0o600
    assert len(secret_key.read_text().strip()) >= 50


def test_serve_keeps_its_generated_secret_key_across_restarts(tmp_path):
    (tmp_path / "secret_key").write_text("kept-secret-" * 5 + "\n")
    result = served.python(
        ["-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        {**_environment(tmp_path), "DJANGO_SETTINGS_MODULE": "mercuryhub.settings"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kept-secret-" * 5


def test_serve_in_production_answers_on_the_given_host_and_port(prepared_data_dir, tmp_path):
    served.copy_prepared(prepared_data_dir, tmp_path)
    server, address = _start(
        tmp_path,
        "--workers",
        "2",
        MERCURYHUB_ENV="production",
        SECRET_KEY="serve-test-secret-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    try:
        body = _wait_for(f"{address}/", server)
        assert "Find sound solutions for mercury wastes" in body
        css = _wait_for(f"{address}/static/core/site.css", server)
        assert "--accent" in css
    finally:
        _stop(server)


def test_serve_dev_runs_the_development_server_with_debug_on(prepared_data_dir, tmp_path):
    served.copy_prepared(prepared_data_dir, tmp_path)
    server, address = _start(tmp_path, "--dev")
    try:
        body = _wait_for(f"{address}/", server)
        assert "Find sound solutions for mercury wastes" in body
        status, headers, page = _get(f"{address}/no-such-page/")
        assert status == 404
        assert headers["Server"].startswith("WSGIServer")
        assert "URLconf" in page.decode()  # Django's debug page
    finally:
        _stop(server)


def _wait_for(url, server, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"nothing answered on {url} within {seconds} s")
