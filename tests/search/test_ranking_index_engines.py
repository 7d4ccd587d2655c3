"""The ranking index on either database: the same matches as the database's own full-text
index, its files' place, changes numbered in the order they commit (PostgreSQL hands out numbers
as writers ask), files rebuilt rather than replayed when the log has forgotten changes they
lack, and writes made while it is turned off."""

import os
import random
import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import override_settings

from mercuryhub.lib.busy import database_busy
from mercuryhub.search import ranking_index, ranking_search
from mercuryhub.search.engine import (
    _KINDS,
    Document,
    changes_logged_together,
    do_index,
    ranked,
)
from mercuryhub.search.models import SearchEntry
from mercuryhub.taxonomy.models import Term
from tests.conftest import only_on

WORDS = [
    *("mercury", "lamp", "lamps", "retort", "amalgam", "dental"),
    *("thermometer", "kiln", "waste", "recycling", "battery"),
]


@pytest.mark.django_db(transaction=True)
def test_the_index_finds_exactly_what_the_database_finds():
    chance = random.Random(17)  # noqa: S311 - test data
    # Mercury lamps (under "containing mercury"), roasting and retorting, lamp crushing.
    tagged = list(
        Term.objects.filter(code__in=["lamps", "thermal-recovery", "lamp-processing"]).values_list(
            "pk", flat=True
        )
    )
    do_index(
        Document(
            chance.choice(["facility", "expert", "offering"]),
            number,
            " ".join(chance.sample(WORDS, 2)),
            tags=tuple(chance.sample(tagged, 2)) if number % 3 else (),
            body=" ".join(chance.choices(WORDS, k=8)),
            attachment=" ".join(chance.choices(WORDS + ["zinc", "annex"], k=20))
            if number % 5 == 0
            else "",
        )
        for number in range(1, 600)
    )
    queries = [
        *("mercury", "lamp", "lamps", "l", "retort kiln", "zinc", "annex waste", "the"),
        *("crushing", "roasting kiln", "ртут", "灯"),  # words of the tags alone, in any language
    ]
    for query in queries:
        for kinds in (["facility", "expert", "offering"], ["facility"], ["expert", "offering"]):
            with override_settings(SEARCH_RANKING_INDEX=False):
                database = ranked(query, kinds, limit=1000)
            index = ranked(query, kinds, limit=1000)
            assert ranking_index.index_for().seen == ranking_index.database_state()
            assert index[1] == database[1], (query, kinds)
            assert _groups(index[0]) == _groups(database[0]), (query, kinds)
            # A page the first group fills: the rest is counted in one count of every match.
            assert ranked(query, kinds, limit=1)[1] == database[1], (query, kinds)


def _groups(rows):
    """Each match's group, told by its score: above 1 the title's, from 0.5 the record's."""
    return {(kind, pk): 2 if score > 1 else 1 if score >= 0.5 else 0 for kind, pk, score in rows}


def test_the_path_beside_a_database_file_in_memory_and_in_the_data_directory(settings):
    def path(name, vendor="sqlite", **server):
        return ranking_index._path_for(vendor, {"NAME": name, **server})

    assert path("/srv/data/mercuryhub.sqlite3") == (
        ranking_index.Path("/srv/data/mercuryhub.sqlite3.search")
    )
    assert path("file:memorydb_default?mode=memory&cache=shared") is None
    assert os.path.basename(str(path("x.db"))) == "x.db.search"
    settings.DATA_DIR = ranking_index.Path("/srv/data")
    assert path("mercuryhub", "postgresql", HOST="db.example.org", PORT="5433") == (
        ranking_index.Path("/srv/data/search/postgresql-db.example.org-5433-mercuryhub")
    )
    assert path("mercuryhub", "postgresql", HOST="", PORT="") == (
        ranking_index.Path("/srv/data/search/postgresql-local-5432-mercuryhub")
    )


def _found(index: ranking_index.RankingIndex, word: str) -> list[int]:
    """The entries of the files of ``index`` holding the word."""
    searcher = index.index.searcher()
    search = ranking_search.Search(searcher, [word], ["facility"], indexed=_KINDS)
    hits = searcher.search(search.every_match, 100).hits
    return sorted(searcher.fast_field_values("entry", [address for _s, address in hits]))


def _index_one(object_id: int, title: str) -> None:
    with transaction.atomic():  # committed: the ranking index takes it after the commit
        do_index([Document("facility", object_id, title)])


@pytest.mark.django_db(transaction=True)
def test_files_older_than_the_changes_the_log_forgot_are_rebuilt_not_replayed(
    tmp_path, monkeypatch
):
    """Files another machine keeps (its mark behind the changes this one has taken and pruned)
    would miss the forgotten changes if they only replayed those the log still holds."""
    monkeypatch.setattr(ranking_index, "CHANGES_KEPT", 0)  # each write forgets those taken
    _index_one(1, "Alpha retort works")
    other = ranking_index.RankingIndex(tmp_path / "other-machine")
    assert other.catch_up() and other.seen == ranking_index.database_state()
    _index_one(2, "Bravo retort works")  # taken by this machine's files after its commit
    _index_one(3, "Charlie retort works")  # its write forgets the change of "Bravo"
    state = ranking_index.database_state()
    assert state.pruned > other.seen.change

    assert other.catch_up()

    entries = dict(SearchEntry.objects.values_list("object_id", "pk"))
    assert _found(other, "retort") == sorted(entries[pk] for pk in (1, 2, 3))


@pytest.mark.django_db(transaction=True)
def test_a_write_made_with_the_index_turned_off_is_found_once_it_is_on_again(settings):
    _index_one(1, "Alpha retort works")
    assert [pk for _k, pk, _s in ranked("alpha", ["facility"])[0]] == [1]
    settings.SEARCH_RANKING_INDEX = False
    _index_one(2, "Bravo retort works")  # nothing takes its change: the generation is forgotten
    settings.SEARCH_RANKING_INDEX = True

    assert [pk for _k, pk, _s in ranked("bravo", ["facility"])[0]] == [2]
    assert ranking_index.index_for().seen == ranking_index.database_state()


@only_on("postgresql", "SQLite lets one writer at a time number its changes")
@pytest.mark.django_db(transaction=True)
def test_changes_are_numbered_in_the_order_their_transactions_commit(settings):
    """PostgreSQL gives sequence numbers as writers ask: without the change log's lock, a later
    writer could commit number 11 while 10 is still to commit, and a search that took 11 would
    never take 10. A writer waits for the change log until the one holding it commits, or
    gives up after DATABASE_BUSY_TIMEOUT (503 with Retry-After, lib/busy.py)."""
    _index_one(1, "Alpha retort works")
    settings.DATABASE_BUSY_TIMEOUT = 1
    refused = []
    with transaction.atomic():
        do_index([Document("facility", 2, "Bravo retort works")])
        _in_another_thread(Document("facility", 3, "Charlie"), refused).join(timeout=30)
        assert len(refused) == 1 and database_busy(refused[0])

        settings.DATABASE_BUSY_TIMEOUT = 30
        later = _in_another_thread(Document("facility", 4, "Delta"), refused)
        time.sleep(1.5)
        assert later.is_alive(), "a later writer numbered its change before this one committed"
    later.join(timeout=30)
    assert len(refused) == 1

    assert _changed()[-2:] == [2, 4]
    assert [pk for _k, pk, _s in ranked("delta", ["facility"])[0]] == [4]


@only_on("postgresql", "SQLite lets one writer at a time number its changes")
@pytest.mark.django_db(transaction=True)
def test_a_writer_caught_in_a_deadlock_over_the_change_log_is_told_to_retry(settings):
    """One writer holds the change log and then wants a row another holds while it waits for
    the change log: PostgreSQL ends one of the two, which is asked to retry (503), not a 500."""
    _index_one(1, "Alpha retort works")
    settings.DATABASE_BUSY_TIMEOUT = 30
    refused, holds_the_row = [], threading.Event()

    def other():
        try:
            with transaction.atomic():
                SearchEntry.objects.select_for_update().get(kind="facility", object_id=1)
                holds_the_row.set()
                do_index([Document("facility", 3, "Charlie")])  # waits for the change log
        except OperationalError as error:
            refused.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    try:
        with transaction.atomic():
            do_index([Document("facility", 2, "Bravo")])  # holds the change log
            thread.start()
            assert holds_the_row.wait(timeout=30)
            time.sleep(0.5)  # the other now waits for the change log
            SearchEntry.objects.select_for_update().get(kind="facility", object_id=1)
    except OperationalError as error:
        refused.append(error)
    thread.join(timeout=60)

    assert len(refused) == 1 and database_busy(refused[0]), refused
    assert refused[0].__cause__.sqlstate == "40P01"  # a deadlock, not a lock's timeout


@pytest.mark.django_db(transaction=True)
def test_changes_logged_together_are_logged_as_the_transaction_ends(settings):
    """A long import logs its changes once, at the end of its transaction: on PostgreSQL other
    writers meanwhile number and commit theirs without waiting for the whole import."""
    settings.DATABASE_BUSY_TIMEOUT = 1
    refused = []
    with transaction.atomic(), changes_logged_together():
        do_index([Document("facility", 1, "Alpha retort works")])
        do_index([Document("facility", 1, "Alpha retort plant")])  # the same entry again
        assert _changed() == []
        if connection.vendor == "postgresql":  # SQLite: one writer at a time anyway
            _in_another_thread(Document("facility", 2, "Bravo"), refused).join(timeout=30)
            assert refused == [] and _changed() == [2]
    assert _changed()[-1:] == [1] and _changed().count(1) == 1
    assert [pk for _k, pk, _s in ranked("plant", ["facility"])[0]] == [1]
    assert ranking_index.index_for().seen == ranking_index.database_state()


def _changed() -> list[int]:
    """The object ids of the changes the log holds, in their order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.object_id FROM search_searchchange c"
            " JOIN search_searchentry e ON e.id = c.entry_id ORDER BY c.id"
        )
        return [object_id for (object_id,) in cursor.fetchall()]


def _in_another_thread(document: Document, refused: list) -> threading.Thread:
    """A writer indexing ``document`` in a connection of its own (another worker)."""

    def write():
        try:
            with transaction.atomic():
                do_index([document])
        except OperationalError as error:
            refused.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    return thread
