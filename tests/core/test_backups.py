"""`mercuryhub backup` and `mercuryhub restore` as an operator runs them, each in a process of its
own: a platform with real content (the starter data `serve` loads, an entry with several versions
and its history, a library upload, a field-data submission with a photo) backed up, restored on
SQLite and on PostgreSQL in all four directions, and compared record by record and file by file
with what was backed up; search finds the same; a damaged archive, one from newer code and a
target holding data are refused; a restore killed midway leaves the target as it was.

The PostgreSQL round trips need a server: TEST_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres) names one whose user may create databases."""

import json
import os
import signal
import subprocess  # noqa: S404 - runs our own command
import sys
import uuid
import zipfile
from pathlib import Path

import psycopg
import pytest

from tests import served

pytestmark = pytest.mark.embedded_sqlite

_ADD_CONTENT = "from tests.core.backup_content import add; add()"
_SEARCH = (
    "import json; from mercuryhub.search import engine; print(json.dumps({{words: "
    "engine.matches(words, ['facility', 'offering', 'resource', 'event'], cap=50) "
    "for words in {words!r}}}))"
)
_WORDS = ("tubeworks", "retort handbook", "batrec", "sourcebook")
_POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _run(data_dir: Path, *arguments, database: str | None = None, timeout=900):
    env = served.environment(data_dir)
    if database:
        env["DATABASE_URL"] = database
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "mercuryhub.cli", *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        cwd=Path(__file__).parents[2],  # the tests package is importable from the checkout
    )


def _ok(result):
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _records(archive: Path) -> tuple[dict, dict, dict]:
    """Every row of every table (JSON values compared as data: PostgreSQL reorders keys), every
    file's checksum, and the migrations, as an archive holds them."""
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        tables = {
            label: [json.loads(line) for line in opened.read(f"tables/{label}.jsonl").splitlines()]
            for label in manifest["tables"]
        }
    return tables, manifest["files"], manifest["migrations"]


def _assert_same(original: Path, copy: Path):
    tables, files, migrations = _records(original)
    copied_tables, copied_files, copied_migrations = _records(copy)
    assert sorted(copied_tables) == sorted(tables)
    for label, rows in tables.items():
        assert copied_tables[label] == rows, f"{label} differs"
    assert copied_files == files
    assert copied_migrations == migrations


def _found(data_dir, database=None) -> dict:
    """What search finds for a few words, in one process."""
    search = _SEARCH.format(words=_WORDS)
    return json.loads(
        _ok(_run(data_dir, "shell", "-c", search, database=database)).splitlines()[-1]
    )


@pytest.fixture(scope="module")
def source(prepared_data_dir, tmp_path_factory):
    """The prepared platform with more content, its backup, and what search finds in it."""
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path_factory.mktemp("source"))
    _ok(_run(data_dir, "shell", "-c", _ADD_CONTENT))
    archive = data_dir.parent / "source.zip"
    output = _ok(_run(data_dir, "backup", str(archive)))
    assert "  history.HistoricalFacility" not in output  # labels are app.Model
    assert "  catalogue.HistoricalFacility: " in output  # a count per table
    return data_dir, archive, _found(data_dir)


@pytest.fixture(scope="module")
def postgres():
    """A function making a new empty PostgreSQL database and returning its URL."""
    try:
        server = psycopg.connect(_POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"No PostgreSQL server answers at {_POSTGRES} (set TEST_POSTGRES_URL): {error}")
    made = []

    def new_database() -> str:
        name = f"mh_backup_{uuid.uuid4().hex[:8]}"
        server.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return _POSTGRES.rsplit("/", 1)[0] + "/" + name

    yield new_database
    for name in made:
        server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    server.close()


@pytest.fixture(scope="module")
def on_postgres(source, postgres, tmp_path_factory):
    """The source restored on PostgreSQL (SQLite → PostgreSQL), and that database's backup."""
    _data_dir, archive, _found_before = source
    data_dir, database = tmp_path_factory.mktemp("on-postgres"), postgres()
    output = _ok(_run(data_dir, "restore", str(archive), database=database))
    assert "  catalogue.Facility: 46" in output
    copy = data_dir.parent / "on-postgres.zip"
    _ok(_run(data_dir, "backup", str(copy), database=database))
    return data_dir, database, copy


def test_a_backup_restored_on_an_empty_sqlite_database_holds_every_record_and_file(
    source, tmp_path
):
    _data_dir, archive, found = source
    target = tmp_path / "restored"
    _ok(_run(target, "restore", str(archive)))
    _ok(_run(target, "backup", str(tmp_path / "again.zip")))
    _assert_same(archive, tmp_path / "again.zip")
    assert _found(target) == found
    assert found["tubeworks"]["facility"] and found["retort handbook"]["resource"]


def test_a_sqlite_backup_restored_on_postgresql_holds_every_record_and_found_entry(
    source, on_postgres
):
    _data_dir, archive, found = source
    data_dir, database, copy = on_postgres
    _assert_same(archive, copy)
    assert _found(data_dir, database) == found
    # The sequences continue past the restored rows: a new person gets a new number.
    make = "from tests.conftest import make_user; make_user('new.person@example.org')"
    _ok(_run(data_dir, "shell", "-c", make, database=database))


def test_a_postgresql_backup_restored_on_postgresql_and_on_sqlite_holds_every_record(
    source, on_postgres, postgres, tmp_path
):
    _data_dir, archive, found = source
    _pg_dir, _database, pg_archive = on_postgres
    pg_target = postgres()
    _ok(_run(tmp_path / "pg", "restore", str(pg_archive), database=pg_target))
    _ok(_run(tmp_path / "pg", "backup", str(tmp_path / "pg.zip"), database=pg_target))
    _assert_same(archive, tmp_path / "pg.zip")
    _ok(_run(tmp_path / "sqlite", "restore", str(pg_archive)))
    _ok(_run(tmp_path / "sqlite", "backup", str(tmp_path / "sqlite.zip")))
    _assert_same(archive, tmp_path / "sqlite.zip")
    assert _found(tmp_path / "sqlite") == found


def _altered(archive: Path, path: Path, member: str, change) -> Path:
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(path, "w") as copy:
        for item in original.infolist():
            content = original.read(item.filename)
            copy.writestr(item, change(content) if item.filename == member else content)
    return path


def test_a_damaged_archive_a_newer_one_and_a_target_holding_data_are_refused(source, tmp_path):
    data_dir, archive, _found_before = source
    before = tmp_path / "before.zip"
    _ok(_run(data_dir, "backup", str(before)))

    damaged = _altered(
        archive,
        tmp_path / "damaged.zip",
        "tables/catalogue.Facility.jsonl",
        lambda content: content.replace(b"Batrec tubeworks", b"Batrec tubeworkz"),
    )
    result = _run(data_dir, "restore", str(damaged), "--replace")
    assert result.returncode == 1
    assert (
        "The backup is damaged: tables/catalogue.Facility.jsonl does not match its checksum"
        in result.stderr
    )

    def newer_migration(content):
        manifest = json.loads(content)
        manifest["migrations"]["catalogue"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    newer = _altered(archive, tmp_path / "newer.zip", "manifest.json", newer_migration)
    result = _run(data_dir, "restore", str(newer), "--replace")
    assert "this code does not know its migrations catalogue.9999_from_the_future" in result.stderr

    result = _run(data_dir, "restore", str(archive))
    assert "The target already holds data (2 users, 46 facilities" in result.stderr
    assert "pass --replace" in result.stderr

    _ok(_run(data_dir, "backup", str(tmp_path / "after.zip")))
    _assert_same(before, tmp_path / "after.zip")


def test_an_archive_of_an_older_version_is_restored_then_migrated_forward(source, tmp_path):
    # The archive as a version without the mail outbox (accounts 0004, which makes its table
    # and nothing else) wrote it: nor the migrations that came after it.
    from django.db.migrations.loader import MigrationLoader

    _data_dir, archive, _found_before = source
    outbox = "accounts.QueuedEmail"
    # It and every migration depending on it: what unapplying it would unapply.
    later = MigrationLoader(None).graph.backwards_plan(("accounts", "0004_queued_email"))
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(old, "w") as copy:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                del manifest["tables"][outbox]
                for app, name in later:
                    manifest["migrations"][app].remove(name)
                content = json.dumps(manifest).encode()
            if item.filename != f"tables/{outbox}.jsonl":
                copy.writestr(item, content)
    tables, files, migrations = _records(old)
    assert "0004_queued_email" not in migrations["accounts"]

    data_dir = tmp_path / "restored"
    _ok(_run(data_dir, "restore", str(old)))
    _ok(_run(data_dir, "backup", str(tmp_path / "restored.zip")))
    restored, restored_files, restored_migrations = _records(tmp_path / "restored.zip")
    # Every record and file as the old version kept them, and the outbox made after them.
    assert restored.pop(outbox) == []
    assert sorted(restored) == sorted(tables)
    for label, rows in tables.items():
        assert restored[label] == rows, f"{label} differs"
    assert restored_files == files
    for app, name in later:
        migrations[app].append(name)
    assert {app: sorted(names) for app, names in restored_migrations.items()} == {
        app: sorted(names) for app, names in migrations.items()
    }


def test_a_restore_killed_midway_leaves_the_target_as_it_was(source, prepared_data_dir, tmp_path):
    _data_dir, archive, _found_before = source
    target = served.copy_prepared(prepared_data_dir, tmp_path / "target")
    _ok(_run(target, "backup", str(tmp_path / "before.zip")))
    env = {**served.environment(target), "PYTHONUNBUFFERED": "1"}
    restore = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "mercuryhub.cli", "restore", str(archive), "--replace"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    loaded = []
    for line in restore.stdout:  # a line per table once it is loaded
        loaded.append(line)
        if len(loaded) == 40:
            restore.send_signal(signal.SIGKILL)
            break
    restore.wait(timeout=60)
    assert restore.returncode == -signal.SIGKILL
    assert not any("search index" in line for line in loaded)
    _ok(_run(target, "backup", str(tmp_path / "after.zip")))
    _assert_same(tmp_path / "before.zip", tmp_path / "after.zip")
    # The next restore clears what the killed one left aside, and completes.
    _ok(_run(target, "restore", str(archive), "--replace"))
    assert not [p for p in target.iterdir() if p.name.startswith(".restoring")]
    _ok(_run(target, "backup", str(tmp_path / "restored.zip")))
    _assert_same(archive, tmp_path / "restored.zip")
