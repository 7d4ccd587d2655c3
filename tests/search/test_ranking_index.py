"""The ranking index beside an SQLite file, as gunicorn's workers share it: a write in one
process is found by a search in another, a removal is no longer found, a writer killed while it
applies changes leaves nothing missing or doubled, and a search that cannot take the changes now
(another process holds the files) asks SQLite's tables and still finds them."""

import fcntl
import json
import shutil
import signal
import subprocess  # noqa: S404 - our own Python
import sys

import pytest

from mercuryhub.search import ranking_index
from mercuryhub.search.engine import Document, do_index, ranked
from tests import served

pytestmark = pytest.mark.embedded_sqlite

SETUP = (
    "import django, json, sys; django.setup();"
    " from django.db import transaction;"
    " from mercuryhub.search import engine, ranking_index;"
    " from mercuryhub.search.engine import Document;"
)

# A process that stays up as a worker does, answering searches read from its input:
# each answer is the search's matches and which engine gave them.
SEARCHER = (
    SETUP
    + """
for line in sys.stdin:
    rows, total = engine.ranked(line.strip(), ["facility", "expert"], limit=10000)
    index = ranking_index.index_for()
    used = index.seen == ranking_index.database_state()
    print(json.dumps({"total": total, "ids": sorted(i for _k, i, _s in rows), "index": used}),
          flush=True)
"""
)


@pytest.fixture
def data_dir(prepared_data_dir, tmp_path):
    return served.copy_prepared(prepared_data_dir, tmp_path / "data")


def _run(data_dir, code: str) -> str:
    result = served.python(["-c", SETUP + code], served.environment(data_dir), timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


class Searcher:
    def __init__(self, data_dir):
        self.process = subprocess.Popen(  # noqa: S603 - our own Python
            [sys.executable, "-c", SEARCHER],
            env={**served.environment(data_dir), "DJANGO_SETTINGS_MODULE": "mercuryhub.settings"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def search(self, query: str) -> dict:
        self.process.stdin.write(query + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture
def searcher(data_dir):
    process = Searcher(data_dir)
    yield process
    process.close()


def _environment(data_dir):
    return {**served.environment(data_dir), "DJANGO_SETTINGS_MODULE": "mercuryhub.settings"}


INDEX_ONE = """
with transaction.atomic():
    engine.do_index([Document("facility", 990001, "Zanzibarite retort works")])
"""


def test_a_write_in_one_process_is_found_by_another_and_a_removal_is_not(data_dir, searcher):
    assert searcher.search("zanzibarite") == {"total": 0, "ids": [], "index": True}
    _run(data_dir, INDEX_ONE)
    assert searcher.search("zanzibarite") == {"total": 1, "ids": [990001], "index": True}
    _run(
        data_dir,
        """
with transaction.atomic():
    engine.do_index([Document("facility", 990001, "Pemba retort works")])
""",
    )
    assert searcher.search("zanzibarite")["total"] == 0
    assert searcher.search("pemba") == {"total": 1, "ids": [990001], "index": True}
    _run(data_dir, 'engine.do_unindex("facility", [990001])')
    assert searcher.search("pemba") == {"total": 0, "ids": [], "index": True}


def test_a_search_while_another_process_applies_changes_asks_the_tables(data_dir, searcher):
    searcher.search("retort")  # the searcher's index is up to date
    with open(data_dir / "mercuryhub.sqlite3.search" / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a worker applying changes holds it
        _run(
            data_dir,
            """
ranking_index.catch_up_after_commit = lambda alias="default": None  # the writer holds no lock
"""
            + INDEX_ONE,
        )
        assert searcher.search("zanzibarite") == {"total": 1, "ids": [990001], "index": False}
    assert searcher.search("zanzibarite") == {"total": 1, "ids": [990001], "index": True}


MANY = """
import os
def committed():
    print("committed", flush=True)
with transaction.atomic():
    transaction.on_commit(committed)  # before the index's own: the parent kills now
    engine.do_index(
        Document("facility", 800000 + i, f"Kilwa plant {i}", body="retort " * (i % 7))
        for i in range(4000)
    )
print("applied", flush=True)
"""


def test_a_writer_killed_while_it_applies_its_changes_loses_and_doubles_nothing(data_dir):
    writer = subprocess.Popen(  # noqa: S603 - our own Python
        [sys.executable, "-c", SETUP + MANY],
        env=_environment(data_dir),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "committed"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    searcher = Searcher(data_dir)
    try:
        found = searcher.search("kilwa")
        assert found["index"] is True
        assert found["ids"] == list(range(800000, 804000))
        assert found["total"] == 4000
    finally:
        searcher.close()


def test_a_mark_behind_the_files_replays_changes_without_doubling_them(data_dir):
    """A crash between the files' commit and the mark's: the next catch-up applies again."""
    _run(data_dir, INDEX_ONE)
    mark_path = data_dir / "mercuryhub.sqlite3.search" / "mercuryhub-mark.json"
    mark = json.loads(mark_path.read_text())
    mark["change"] -= 1
    mark_path.write_text(json.dumps(mark))
    searcher = Searcher(data_dir)
    try:
        assert searcher.search("zanzibarite") == {"total": 1, "ids": [990001], "index": True}
    finally:
        searcher.close()
    assert json.loads(mark_path.read_text())["change"] == mark["change"] + 1


def test_files_of_another_generation_are_rebuilt_not_trusted(data_dir):
    """Tables replaced behind the index's back (a restore: no change written for them) and a
    new generation: the files are rebuilt from the entries, not replayed."""
    _run(data_dir, INDEX_ONE)
    _run(
        data_dir,
        """
from django.db import connection
ranking_index.catch_up_after_commit = lambda alias="default": None
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchentry WHERE object_id = 990001")
    engine.do_renew_generation()
""",
    )
    searcher = Searcher(data_dir)
    try:
        assert searcher.search("zanzibarite") == {"total": 0, "ids": [], "index": True}
        assert searcher.search("retort")["total"] > 0
    finally:
        searcher.close()


def test_serve_makes_the_files_again_before_serving_when_they_are_missing(data_dir):
    """After an upgrade from a version without them, or a database copied without them."""
    files = data_dir / "mercuryhub.sqlite3.search"
    mark = json.loads((files / "mercuryhub-mark.json").read_text())
    shutil.rmtree(files)
    result = served.mercuryhub(data_dir, "serve", "--prepare-only")
    assert result.returncode == 0, result.stderr
    assert "Search ranking index up to date" in result.stdout
    assert json.loads((files / "mercuryhub-mark.json").read_text()) == mark
    searcher = Searcher(data_dir)
    try:
        assert searcher.search("batrec")["ids"] == [1]
    finally:
        searcher.close()


def test_large_work_is_done_in_a_thread_while_the_tables_answer(data_dir):
    """A rebuild or many changes would outlast a request (gunicorn would kill the worker and
    the work with it): a thread of the worker does it, searches meanwhile ask the tables."""
    _run(
        data_dir,
        """
ranking_index.catch_up_after_commit = lambda alias="default": None
with transaction.atomic():
    engine.do_index(Document("facility", 700000 + i, f"Mafia plant {i}") for i in range(300))
""",
    )
    result = served.python(
        [
            "-c",
            SETUP
            + """
import time
ranking_index.LARGE = 100  # 300 changes are large work here
rows, total = engine.ranked("mafia", ["facility"], limit=1000)
index = ranking_index.index_for()
print(total, index.seen == ranking_index.database_state(), index._background is not None)
index.wait_for_background(60)
rows, total = engine.ranked("mafia", ["facility"], limit=1000)
print(total, index.seen == ranking_index.database_state())
""",
        ],
        _environment(data_dir),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["300 False True", "300 True"]


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_applying_changes_leaves_the_files_to_the_next_writer(
    monkeypatch, settings, caplog
):
    """A writer that fails (a database error, say) is logged with its traceback, which the log
    keeps: the lock on the files must go with the writer, or every later change waits for the
    garbage collector."""
    settings.SEARCH_RANKING_INDEX = True
    documents = ranking_index._documents

    def failing(rows, alias):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ranking_index, "_documents", failing)
    do_index([Document("facility", 1, "Batrec retort line")])  # its commit's catch-up fails
    assert "the database went away" in caplog.text
    monkeypatch.setattr(ranking_index, "_documents", documents)

    assert ranking_index.index_for().catch_up()
    rows, total = ranked("retort", ["facility"])
    assert total == 1 and ranking_index.index_for().seen == ranking_index.database_state()
