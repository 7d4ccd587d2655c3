"""`mercuryhub serve` prepares an empty SQLite database and serves it, as a newcomer runs it."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest


def _environment(tmp_path):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MERCURYHUB_ENV"}
    }
    environment["MERCURYHUB_DATA_DIR"] = str(tmp_path)
    return environment


def _mercuryhub(tmp_path, *arguments, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "mercuryhub.cli", *arguments],
        capture_output=True,
        text=True,
        env=_environment(tmp_path),
        timeout=timeout,
        check=False,
    )


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


def test_serve_creates_a_wal_database_and_a_second_run_changes_nothing(tmp_path):
    first = _mercuryhub(tmp_path, "serve", "--prepare-only")
    assert first.returncode == 0, first.stderr
    database = tmp_path / "mercuryhub.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    counts = _counts(database)
    assert counts["taxonomy_country"] == 249

    second = _mercuryhub(tmp_path, "serve", "--prepare-only")
    assert second.returncode == 0, second.stderr
    assert "0 created, 0 updated" in second.stdout
    assert _counts(database) == counts


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("mode", ["development", "production"])
def test_serve_answers_on_the_given_host_and_port(tmp_path, mode):
    port = _free_port()
    environment = _environment(tmp_path)
    if mode == "production":
        environment.update(
            MERCURYHUB_ENV="production",
            SECRET_KEY="serve-test-secret-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
        )
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
            "--workers",
            "2",
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/", server)
        assert "Find sound solutions for mercury wastes" in body
        if mode == "production":
            css = _wait_for(f"http://127.0.0.1:{port}/static/core/site.css", server)
            assert "--accent" in css
    finally:
        server.terminate()
        server.wait(timeout=30)


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
