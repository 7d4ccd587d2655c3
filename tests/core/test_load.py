"""Load and faults (bench/load.py, shortened): many clients at once against `mercuryhub serve` as
in production (gunicorn, 2 workers) get no error, and every write the server accepted is in the
database with what was sent, also when a worker is killed in the middle of it.

The SQLite tests serve a copy of the prepared data directory (``embedded_sqlite``: the PostgreSQL
run of CI leaves them out); the PostgreSQL tests serve a scratch database on the server of
DATABASE_URL and run only when it names one."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bench.catalogue import MARKER

from tests import served

CLIENTS, SECONDS, KILL_AT = 20, 8, 3
BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def _load(tmp_path, *arguments, environment=None, command=(str(BENCH),)) -> dict:
    output = tmp_path / "load.json"
    result = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            *command,
            f"--clients={CLIENTS}",
            f"--seconds={SECONDS}",
            f"--data-dir={tmp_path / 'data'}",
            f"--output={output}",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=environment or served.environment(tmp_path / "data"),
    )
    assert output.exists(), result.stdout + result.stderr
    return json.loads(output.read_text())


def _assert_no_error_and_no_lost_write(report):
    assert report["first_unexpected"] == []
    assert report["first_connection_failures"] == [] or "fault" in report
    assert report["errors"] == 0
    assert not any(status.startswith(("5", "429")) for status in report["statuses"])
    writes = report["writes"]
    assert writes["missing"] == []
    assert writes["different"] == []
    # The load mixes every kind of request, writes included.
    assert {"search_api", "search_page", "draft_create", "submission"} <= set(report["kinds"])
    assert writes["accepted_drafts"] > 0
    assert writes["accepted_submissions"] > 0


def _assert_the_worker_came_back(report):
    fault = report["fault"]
    assert fault["respawned"], fault
    assert fault["killed_worker"] not in fault["workers_after"]
    # Only what the killed worker was answering can fail: it held one request at a time.
    assert report["connection_failures_at_the_kill"] <= 2


@pytest.fixture
def sqlite_copy(prepared_data_dir):
    return ["--engine=sqlite", f"--from-data-dir={prepared_data_dir}"]


@pytest.mark.embedded_sqlite
def test_sqlite_under_load_answers_every_request_and_keeps_every_write(tmp_path, sqlite_copy):
    report = _load(tmp_path, *sqlite_copy)

    _assert_no_error_and_no_lost_write(report)
    assert report["connection_failures"] == 0


@pytest.mark.embedded_sqlite
def test_sqlite_loses_no_accepted_write_when_a_worker_is_killed(tmp_path, prepared_data_dir):
    # Served in place (as a dataset too large to copy is): a directory a benchmark marked.
    dataset = tmp_path / "dataset"
    shutil.copytree(prepared_data_dir, dataset)
    (dataset / MARKER).write_text(json.dumps({"counts": {"facilities": 5}}) + "\n")
    arguments = ["--engine=sqlite", f"--from-data-dir={dataset}", "--in-place"]
    # Through `mercuryhub bench load`, which passes the options on to bench/load.py.
    command = ("-m", "mercuryhub.cli", "bench", "load")
    report = _load(tmp_path, *arguments, f"--kill-worker-at={KILL_AT}", command=command)

    _assert_no_error_and_no_lost_write(report)
    _assert_the_worker_came_back(report)
    assert report["in_place"]
    assert not (tmp_path / "data").exists()  # the dataset itself served, no copy made
    assert report["dataset"] == {"counts": {"facilities": 5}}  # what its mark says it holds
    assert "Served in place: a dataset of 5 facilities." in (tmp_path / "load.md").read_text()


def test_only_a_directory_a_benchmark_marked_is_served_in_place(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "mercuryhub.sqlite3").write_text("not the benchmark's")
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH), "--engine=sqlite", "--in-place"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "--in-place needs --from-data-dir" in result.stderr
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH), "--engine=sqlite", "--in-place"]
        + [f"--from-data-dir={tmp_path / 'mine'}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "its mark is missing" in result.stderr
    assert (tmp_path / "mine" / "mercuryhub.sqlite3").read_text() == "not the benchmark's"


def _postgresql_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL names no PostgreSQL server (the PostgreSQL run tests this)")
    return url


@pytest.fixture(scope="module")
def postgresql_template(tmp_path_factory):
    """A database `serve --prepare-only` prepared, copied by each test (bench/load.py's
    --template-database)."""
    url = _postgresql_url()
    sys.path.insert(0, str(BENCH.parents[1]))
    from bench.load import postgresql_database

    data_dir = tmp_path_factory.mktemp("load-template")
    with postgresql_database(url) as template_url:
        environment = {**served.environment(data_dir), "DATABASE_URL": template_url}
        prepared = served.python(["-m", "mercuryhub.cli", "serve", "--prepare-only"], environment)
        assert prepared.returncode == 0, prepared.stderr
        yield url, template_url.rsplit("/", 1)[1]


def _postgresql(tmp_path, template, *arguments) -> dict:
    url, name = template
    environment = served.environment(tmp_path / "data")
    return _load(
        tmp_path,
        "--engine=postgresql",
        f"--database-url={url}",
        f"--template-database={name}",
        *arguments,
        environment=environment,
    )


def test_postgresql_under_load_answers_every_request_and_keeps_every_write(
    tmp_path, postgresql_template
):
    report = _postgresql(tmp_path, postgresql_template)

    assert report["engine"] == "postgresql"
    _assert_no_error_and_no_lost_write(report)
    assert report["connection_failures"] == 0


def test_postgresql_loses_no_accepted_write_when_a_worker_is_killed(tmp_path, postgresql_template):
    report = _postgresql(tmp_path, postgresql_template, f"--kill-worker-at={KILL_AT}")

    _assert_no_error_and_no_lost_write(report)
    _assert_the_worker_came_back(report)


@pytest.mark.django_db
def test_an_edit_never_answered_may_be_stored_or_not_but_nothing_else():
    from bench import load

    from mercuryhub.catalogue.actions import do_save_entry
    from mercuryhub.catalogue.fields import clean_facility

    facility = do_save_entry(
        "facility",
        clean_facility(
            {
                "name": "Load test lamp line 1",
                "operator": "Batrec Industrie AG",
                "country": "CHE",
                "city": "Thun 38",
                "latitude": 46.68,
                "longitude": 7.64,
                "status": "operating",
                "accepted_wastes": ["lamps"],
            }
        ),
        review_state="imported",
        published=True,
    )
    stored = {"name": "Load test lamp line 1", "city": "Thun 38"}
    ledger = load.Ledger()
    ledger.drafts[facility.pk] = stored
    assert load._compare_writes(ledger)["different"] == []

    # The last answered edit set "Thun 12"; the worker died after storing the next, "Thun 38",
    # before answering it.
    ledger.drafts[facility.pk] = {**stored, "city": "Thun 12"}
    ledger.in_doubt[facility.pk] = stored
    writes = load._compare_writes(ledger)
    assert writes["different"] == [] and writes["edits_never_answered"] == 1

    # Neither the answered edit nor the one never answered: a write lost.
    ledger.in_doubt[facility.pk] = {**stored, "city": "Thun 63"}
    assert load._compare_writes(ledger)["different"] == [
        f"facility {facility.pk}: sent {ledger.drafts[facility.pk]}, stored {stored}"
    ]


def test_only_a_postgresql_database_a_benchmark_marked_is_served_in_place(tmp_path):
    url = _postgresql_url()
    sys.path.insert(0, str(BENCH.parents[1]))
    import psycopg
    from bench.load import _dataset, _made_by_a_benchmark, postgresql_database

    with postgresql_database(url) as scratch:
        name = scratch.rsplit("/", 1)[1]
        arguments = ["--engine=postgresql", "--in-place", f"--from-data-dir={tmp_path}"]
        arguments += [f"--template-database={name}", f"--database-url={url}"]
        result = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, str(BENCH), *arguments], capture_output=True, text=True, check=False
        )
        assert result.returncode == 1 and "its mark is missing" in result.stderr
        with psycopg.connect(scratch, autocommit=True) as connection:
            mark = MARKER + json.dumps({"counts": {"facilities": 7}})
            connection.execute(f"COMMENT ON DATABASE {name} IS '{mark}'")
        assert _made_by_a_benchmark(tmp_path, url, name)
        assert _dataset(tmp_path, url, name) == {"counts": {"facilities": 7}}
