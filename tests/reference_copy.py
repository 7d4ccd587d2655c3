"""The test database as it is once migrated with the reference data loaded, copied aside and
copied back after a transactional test (a browser test's live server, a test of what commits)
flushed the database: milliseconds, where loading the reference data again takes about a second.

On SQLite the copy is a second in-memory database (SQLite's backup). On PostgreSQL it is each
non-empty table's rows in COPY's binary format, written back in one transaction (Django makes
PostgreSQL's foreign keys deferred, so the order of the tables does not matter). There a flush
also deletes only the rows of the tables that hold any, where its TRUNCATE of every table, most
of them empty, took seconds.

The copy has no search index generation, as a flush leaves none, so the ranking index's files of
the test before are rebuilt, not trusted. Django's cache of content types is cleared after it is
copied back: the copy's content types are not those that the flush made again."""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

_GENERATION = "search_searchindexgeneration"


class ReferenceCopy:
    def __init__(self):
        self._sqlite = None
        self._tables: dict[str, bytes] = {}

    def take(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self._sqlite)
            self._sqlite.execute(f"DELETE FROM {_GENERATION}")  # noqa: S608 - a fixed name
            self._sqlite.commit()
        elif connection.vendor == "postgresql":
            _flush_only_tables_with_rows()
            tables = _with_rows(connection.introspection.django_table_names(only_existing=True))
            with connection.cursor() as cursor:
                for table in tables:
                    if table != _GENERATION:
                        self._tables[table] = _copy_out(cursor, table)

    def restore(self) -> bool:
        """Copy back; False where there is no copy (the caller loads the data again)."""
        connection.ensure_connection()
        if self._sqlite is not None:
            try:
                self._sqlite.backup(connection.connection)
            except sqlite3.OperationalError:  # another connection holds the database
                return False
        elif self._tables:
            quote = connection.ops.quote_name
            with transaction.atomic(), connection.cursor() as cursor:
                for table in _with_rows(list(self._tables)):  # content types the flush made
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - Django's names
                for table, rows in self._tables.items():
                    with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as c:
                        c.write(rows)
        else:
            return False
        ContentType.objects.clear_cache()
        return True


def _with_rows(tables: list[str]) -> list[str]:
    """The tables among ``tables`` that hold at least one row, in one statement."""
    if not tables:
        return []
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - Django's names
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return [row[0] for row in cursor.fetchall()]


def _copy_out(cursor, table: str) -> bytes:
    data = bytearray()
    quote = connection.ops.quote_name
    with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
        for block in copy:
            data += block
    return bytes(data)


def _flush_only_tables_with_rows() -> None:
    """PostgreSQL's flush deletes the rows of the tables that hold any, unless it also resets
    the sequences: its TRUNCATE of every table, the empty ones too, takes seconds. Django makes
    the foreign keys deferred, so the order of the statements does not matter."""
    operations = type(connection.ops)
    if getattr(operations.sql_flush, "only_tables_with_rows", False):
        return
    flush_every_table = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return flush_every_table(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        return [f"DELETE FROM {quote(table)};" for table in _with_rows(list(tables))]  # noqa: S608

    sql_flush.only_tables_with_rows = True
    operations.sql_flush = sql_flush
