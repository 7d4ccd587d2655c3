"""Writing many rows at once, as plain values rather than model instances put together into
INSERTs value by value (``bulk_create`` on SQLite writes INSERTs of at most 999 values, each
built by the ORM): on SQLite one statement prepared once and run for every row
(``executemany``), on PostgreSQL one ``COPY`` of every row (where ``executemany`` would send a
statement per row, its values quoted into it one by one). Where the rows' keys are needed
(entries, their history records, tag links), they are reserved first and written with the
rows."""

import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, router
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from simple_history.models import HistoricalRecords


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, in increasing order, which no other
    writer can take: on PostgreSQL drawn from the table's sequence; on SQLite those after the
    highest key the table has ever given, while this transaction holds the database's write lock
    (the settings begin every transaction with BEGIN IMMEDIATE). Only within a transaction,
    which then writes the rows."""
    if count <= 0:
        return []
    connection = connections[router.db_for_write(model)]
    if not connection.in_atomic_block:
        raise TransactionManagementError("Reserve keys only within the transaction that uses them")
    table, column = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"Reserving keys on {connection.vendor}")
        cursor.execute(f"SELECT max({quote(column)}) FROM {quote(table)}")  # noqa: S608 - names from the model
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()  # AUTOINCREMENT never gives a key twice, even one deleted
        start = max(highest, given[0] if given else 0) + 1
    return list(range(start, start + count))


def insert_values(model, fields, rows, *, batch_size: int = 5000) -> None:
    """Insert ``rows`` into ``model``'s table, each a sequence of database values (already
    prepared by ``get_db_prep_save``) in the order of ``fields``. No signal is sent."""
    rows = list(rows)
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY in text format: the server reads each value as its column's type.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model, values as parameters
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])


@dataclass(frozen=True)
class Written:
    """The rows ``insert_rows`` wrote: each a list of database values, in the order
    ``position`` gives by attribute name."""

    position: dict[str, int]
    rows: list[list]


def give_reserved_ids(model, objects) -> None:
    """Give each unsaved instance of ``model`` a reserved primary key and take it as saved (as
    ``bulk_create`` leaves it): for a caller that writes their rows next, in this transaction."""
    using = router.db_for_write(model)
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, using


def insert_rows(model, objects, *, with_ids: bool = False, batch_size: int = 5000) -> Written:
    """Insert unsaved instances of ``model`` as ``bulk_create`` would. With ``with_ids`` each is
    given a reserved primary key first (and is saved afterwards, as ``bulk_create`` leaves it);
    otherwise the database numbers the rows and the instances do not learn their keys. No
    signal is sent, as with ``bulk_create``. Returns the values written."""
    objects = list(objects)
    if not objects:
        return Written({}, [])
    using = router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    if with_ids:
        give_reserved_ids(model, objects)
    fields = [
        field
        for field in opts.concrete_fields
        if with_ids or not (field.primary_key and field.db_returning)
    ]
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
        for obj in objects
    ]
    insert_values(model, fields, rows, batch_size=batch_size)
    return Written({field.attname: n for n, field in enumerate(fields)}, rows)


def insert_links(model, entries, every_relations) -> list[dict]:
    """Link each of the new rows ``entries`` of ``model`` to the items of each of its relations
    (``every_relations``: per row, relation name -> items); per row, the through rows written
    for each relation, as ``[key, row's key, item's key]``."""
    made = [
        {
            name: [[None, entry.pk, item.pk] for item in dict.fromkeys(related)]
            for name, related in relations.items()
        }
        for entry, relations in zip(entries, every_relations, strict=True)
    ]
    for name in {name for relations in made for name in relations}:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        rows = [row for relations in made for row in relations.get(name, ())]
        for row, pk in zip(rows, reserve_ids(through, len(rows)), strict=True):
            row[0] = pk
        fields = [through._meta.get_field(n) for n in _through_fields(field)]
        if len(through._meta.concrete_fields) != len(fields):
            raise ValueError(f"{through.__name__} holds more than its two keys")
        insert_values(through, fields, rows)
    return made


def _through_fields(field) -> tuple[str, str, str]:
    """A relation's through model's fields: its key, the entry's and the item's."""
    through = field.remote_field.through
    return through._meta.pk.name, field.m2m_field_name(), field.m2m_reverse_field_name()


def insert_creation_history(
    model, entries, links: list[dict], user, written: Written | None = None
) -> None:
    """The history records of new rows ``entries`` of ``model`` (with the ``links`` that
    ``insert_links`` wrote), as simple-history writes them when each is saved and then each of
    its relations set: one on creation, then one per relation given, holding the row's values
    (those ``written`` by ``insert_rows``, where given) and (in its relation snapshot tables)
    the links made so far; attributed to ``user``."""
    history = model.history.model
    opts = history._meta
    connection = connections[router.db_for_write(history)]
    tracked = [opts.get_field(field.name) for field in history.tracked_fields]
    made_at = opts.get_field("history_date")
    fields = [opts.pk, *tracked, made_at, *(opts.get_field(n) for n in _HISTORY_OWN)]
    if set(opts.concrete_fields) - set(fields):
        raise ValueError(f"{history.__name__} has fields a creation record would not fill")
    user_id = user.pk if user is not None and user.is_authenticated else None
    positions = None
    if written is not None and all(field.attname in written.position for field in tracked):
        positions = [written.position[field.attname] for field in tracked]
    records = []  # (type, the entry's values, the links held)
    for number, (entry, relations) in enumerate(zip(entries, links, strict=True)):
        if positions is not None:
            row = written.rows[number]
            values = [row[position] for position in positions]
        else:
            values = [
                field.get_db_prep_save(getattr(entry, field.attname), connection)
                for field in tracked
            ]
        records.append(("+", values, ()))
        held: tuple = ()
        for name, rows in relations.items():
            if rows:  # setting nothing on a new entry records nothing
                held = (*held, *((name, row) for row in rows))
                records.append(("~", values, held))
    keys = reserve_ids(history, len(records))
    now = made_at.get_db_prep_save(timezone.now(), connection)  # one transaction, one moment
    insert_values(
        history,
        fields,
        (
            [pk, *values, now, kind, user_id, None]
            for pk, (kind, values, _held) in zip(keys, records, strict=True)
        ),
    )
    snapshots = {field.name: field for field in getattr(history, "_history_m2m_fields", [])}
    by_name: dict = {}
    for pk, (_kind, _values, held) in zip(keys, records, strict=True):
        for name, row in held:
            if name in snapshots:
                by_name.setdefault(name, []).append([*row, pk])
    for name, rows in by_name.items():
        field = snapshots[name]
        snapshot = HistoricalRecords.m2m_models[field]
        names = (*_through_fields(field), "history")
        insert_values(snapshot, [snapshot._meta.get_field(n) for n in names], rows)


_HISTORY_OWN = ("history_type", "history_user", "history_change_reason")


# Full collections ------------------------------------------------------------------------------

# A full collection waits for this many collections of the middle generation (Python's default
# is 10) within ``fewer_full_collections``.
FEWER_FULL_COLLECTIONS = 100
_collections_lock = threading.Lock()
_collections_held = {"blocks": 0, "threshold": None}


@contextmanager
def fewer_full_collections():
    """For work that builds up many objects (an import's rows): Python's cyclic garbage
    collector makes a full collection, a scan of every object of the process, each time the
    objects that survived younger collections grow by a quarter; while an import of 50,000
    rows builds up its plan that was about 30 scans, a fifth of its time (docs/performance.md).
    Within this block the objects alive before it are left out of those scans (``gc.freeze``)
    and a full collection waits for ten times as many younger ones; young garbage is collected
    as usual. Both are undone when the last block running in the process ends."""
    with _collections_lock:
        if _collections_held["blocks"] == 0:
            gc.freeze()
            threshold = gc.get_threshold()
            _collections_held["threshold"] = threshold
            gc.set_threshold(threshold[0], threshold[1], FEWER_FULL_COLLECTIONS)
        _collections_held["blocks"] += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections_held["blocks"] -= 1
            if _collections_held["blocks"] == 0:
                gc.set_threshold(*_collections_held["threshold"])
                gc.unfreeze()
