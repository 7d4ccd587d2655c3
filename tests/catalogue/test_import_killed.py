"""An import killed while it writes (SIGKILL: a crash, an operator's kill -9, the machine
stopping) leaves nothing of itself in the database, which stays consistent, and running it again
imports every row: the import is one transaction."""

import csv
import signal
import sqlite3
import subprocess  # noqa: S404 - runs our own command
import sys
import time
from importlib import resources

import pytest

from tests import served

pytestmark = pytest.mark.embedded_sqlite

SHIPPED = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"
ROWS = 3000


def _generated_file(path):
    with resources.as_file(SHIPPED) as shipped, open(shipped, encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for number in range(ROWS):
            row = list(rows[number % len(rows)])
            row[header.index("external_id")] = f"killed-{number:05d}"
            row[header.index("name")] = f"Generated plant {number}"
            writer.writerow(row)
    return path


def _writing(database) -> bool:
    """Whether another connection holds the write lock (the import is writing)."""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _counts(database) -> tuple[int, int, int]:
    with sqlite3.connect(database) as connection:
        return tuple(
            connection.execute(query).fetchone()[0]
            for query in (
                "SELECT count(*) FROM catalogue_facility WHERE external_id LIKE 'killed-%'",
                "SELECT count(*) FROM catalogue_historicalfacility"
                " WHERE external_id LIKE 'killed-%'",
                "SELECT count(*) FROM search_searchentry WHERE kind = 'facility'",
            )
        )


def test_an_import_killed_while_writing_leaves_nothing_and_a_rerun_completes(
    tmp_path, prepared_data_dir
):
    data_dir = served.copy_prepared(prepared_data_dir, tmp_path / "data")
    database = data_dir / "mercuryhub.sqlite3"
    path = _generated_file(tmp_path / "facilities.csv")
    indexed_before = _counts(database)[2]
    command = [sys.executable, "-m", "mercuryhub.cli", "import", "facilities", str(path)]
    process = subprocess.Popen(command, env=served.environment(data_dir))  # noqa: S603
    try:
        deadline = time.monotonic() + 600
        while not _writing(database):
            assert process.poll() is None, "the import ended before it was seen writing"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1)  # well into the writing
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()

    assert _counts(database) == (0, 0, indexed_before)
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    again = served.mercuryhub(data_dir, "import", "facilities", str(path), timeout=1200)
    assert again.returncode == 0, again.stderr
    assert f"{ROWS} created" in again.stdout
    facilities, history, indexed = _counts(database)
    assert facilities == ROWS and history >= ROWS
    assert indexed == indexed_before + ROWS
