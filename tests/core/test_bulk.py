"""Rows written as plain values with reserved keys (``lib.bulk``), as imports write new entries,
their tag links and their history: a reserved key is never given to another row, before or
after, on either engine, and the rows read back as the ORM would have written them."""

import gc
import sqlite3
from importlib import resources

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from mercuryhub.lib.bulk import (
    FEWER_FULL_COLLECTIONS,
    fewer_full_collections,
    insert_rows,
    reserve_ids,
)
from mercuryhub.review.models import ReviewDecision
from tests.conftest import only_on


def _decision(number: int) -> ReviewDecision:
    return ReviewDecision(kind="facility", object_id=number, version=1, action="submitted")


@pytest.mark.django_db
def test_reserved_keys_come_after_every_key_given_and_the_database_numbers_past_them():
    before = ReviewDecision.objects.create(
        kind="facility", object_id=1, version=1, action="validated"
    )

    made = [_decision(number) for number in (10, 11, 12)]
    insert_rows(ReviewDecision, made, with_ids=True)
    reserved = [decision.pk for decision in made]
    after = ReviewDecision.objects.create(
        kind="facility", object_id=2, version=1, action="returned"
    )

    assert len(set(reserved)) == 3
    assert reserved == sorted(reserved)
    assert before.pk < reserved[0]
    assert after.pk > reserved[-1]
    assert all(not decision._state.adding for decision in made)
    stored = ReviewDecision.objects.filter(pk__in=reserved).order_by("pk")
    assert [(d.object_id, d.action, d.made_at is not None) for d in stored] == [
        (10, "submitted", True),
        (11, "submitted", True),
        (12, "submitted", True),
    ]
    assert {d.made_at for d in stored} == {d.made_at for d in made}


@pytest.mark.django_db
def test_a_deleted_last_key_is_never_given_again():
    first = ReviewDecision.objects.create(
        kind="facility", object_id=1, version=1, action="validated"
    )
    last = ReviewDecision.objects.create(
        kind="facility", object_id=2, version=1, action="validated"
    )
    deleted = last.pk
    last.delete()

    assert reserve_ids(ReviewDecision, 1)[0] > deleted > first.pk


@pytest.mark.django_db
def test_nothing_to_reserve_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert reserve_ids(ReviewDecision, 0) == []


@pytest.mark.django_db(transaction=True)
def test_keys_are_reserved_only_within_the_transaction_that_writes_them():
    with pytest.raises(TransactionManagementError, match="within the transaction"):
        reserve_ids(ReviewDecision, 2)
    with transaction.atomic():
        assert len(reserve_ids(ReviewDecision, 2)) == 2


@only_on("sqlite", "PostgreSQL reserves keys from the table's sequence, shared by every writer")
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_no_other_writer_can_write_while_keys_are_reserved():
    """What keeps SQLite's reserved keys to one writer: a transaction holds the write lock from
    its first statement (BEGIN IMMEDIATE), so nobody can take a key between the reservation and
    the rows' insertion."""
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), timeout=0)
    try:
        with transaction.atomic():
            reserve_ids(ReviewDecision, 1)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute(
                    f"INSERT INTO {ReviewDecision._meta.db_table} "  # noqa: S608 - the model's table
                    "(kind, object_id, version, action, reason, made_at) "
                    "VALUES ('facility', 3, 1, 'validated', '', '2026-01-01')"
                )
    finally:
        other.close()


@pytest.mark.django_db
def test_new_search_entries_take_their_keys_within_the_callers_transaction():
    """Indexing within an action's transaction reserves the new entries' keys in it, with no
    savepoint of its own; each entry gets its key, and SQLite's full-text rows the same."""
    from django.test.utils import CaptureQueriesContext

    from mercuryhub.search.engine import Document, do_index, ranked
    from mercuryhub.search.models import SearchEntry

    with CaptureQueriesContext(connection) as statements:
        do_index([Document("facility", 1, "Batrec retort line"), Document("facility", 2, "Lamps")])

    assert not [q["sql"] for q in statements.captured_queries if "SAVEPOINT" in q["sql"]]
    entries = list(SearchEntry.objects.filter(kind="facility").order_by("object_id"))
    assert [entry.object_id for entry in entries] == [1, 2]
    assert [object_id for _kind, object_id, _score in ranked("retort", ["facility"])[0]] == [1]


@pytest.mark.django_db
def test_values_that_need_escaping_are_written_as_they_were_given():
    # On PostgreSQL the rows go through COPY's text format, where tabs, line ends and
    # backslashes separate or escape values: each must come back as it was.
    from datetime import UTC, datetime

    from mercuryhub.accounts.models import QueuedEmail

    awkward = "tab\there\nline\r\nback\\slash \\N 'quote' \"double\" é ü 水銀 \u202e"
    message = {"body": awkward, "to": ["a@example.org"], "nested": {"n": 1.5, "none": None}}
    due = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    made = [
        QueuedEmail(subject=awkward, recipients=[awkward], message=message, next_attempt_at=due),
        QueuedEmail(subject="", recipients=[], message={}, last_error="", next_attempt_at=due),
    ]
    with transaction.atomic():
        insert_rows(QueuedEmail, made, with_ids=True)

    first, second = QueuedEmail.objects.filter(pk__in=[m.pk for m in made]).order_by("pk")
    assert (first.subject, first.recipients, first.message) == (awkward, [awkward], message)
    assert (first.next_attempt_at, first.given_up_at, first.attempts) == (due, None, 1)
    assert (second.subject, second.recipients, second.message) == ("", [], {})


def test_fewer_full_collections_until_the_last_block_ends():
    before = gc.get_threshold()
    with fewer_full_collections():
        frozen = gc.get_freeze_count()
        with fewer_full_collections():  # another import at the same time
            assert gc.get_threshold()[2] == FEWER_FULL_COLLECTIONS
        assert gc.get_threshold()[2] == FEWER_FULL_COLLECTIONS
        # Still frozen (objects frozen may yet be freed by their last reference going).
        assert frozen > 0 and gc.get_freeze_count() > frozen // 2
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@pytest.mark.django_db
def test_an_import_plans_and_writes_with_fewer_full_collections(tmp_path):
    from mercuryhub.catalogue.spreadsheets.importing import import_entries

    shipped = resources.files("mercuryhub.catalogue") / "data" / "facilities.csv"
    lines = shipped.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "facilities.csv"
    path.write_text("".join(lines[:4]), encoding="utf-8")
    seen = []

    def progress(done, total):
        seen.append((done, gc.get_threshold()[2], gc.get_freeze_count() > 0))

    report = import_entries("facility", path, progress=progress)

    assert report.ok, report.listing()
    assert report.created == 3
    # Every step, planning and writing, with fewer full collections; undone afterwards.
    assert {done for done, _threshold, _frozen in seen} >= {3, 6}  # planned, then written
    assert {(threshold, frozen) for _done, threshold, frozen in seen} == {
        (FEWER_FULL_COLLECTIONS, True)
    }
    assert gc.get_freeze_count() == 0
