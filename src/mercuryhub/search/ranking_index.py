"""The ranking index: a tantivy index in files on the application machine (beside the SQLite
database; in the data directory for PostgreSQL), which ranks the matches of a search without
reading each one's text (SQLite's bm25 scores every match: about 290 ms at 1,000,000 entries;
PostgreSQL's ts_rank reads every match's vector; docs/performance.md).

The database stays the record. Every write to the index (``engine.do_index`` and
``do_unindex``) adds the entries it touched to ``search_searchchange``, in the same transaction;
the ranking index holds the changes up to a number (its mark, written after each commit of the
files). Before it ranks, a search compares the mark with the database's last change: when the
index is behind, the process takes the changes since the mark under a lock on the files (one
writer across every worker), commits them and moves the mark on. Applying a change reads the
entry as the database holds it then, so applying one twice (after a crash between the index's
commit and the mark's) does no harm; nothing committed is missing, nothing removed is found.
Changes are numbered in the order their transactions commit: SQLite has one writer at a time,
and on PostgreSQL a writer holds the change log's lock (``lock_changes``) from its first change
to its commit, so that a later number is never committed before an earlier one.

Only committed changes are applied (never from inside a transaction, which could be rolled
back); a search that sees changes it cannot apply now (inside a transaction, or while another
worker is applying them) asks the database's own full-text index instead, as do searches
restricted by filters that select too many entries. A new generation token in the database (a
full reindex, a restore, emptied tables, a write made with the index turned off) rebuilds the
files from the entries, as does a mark older than the changes the log has forgotten (files of
another machine, ``pruned``). The files serve the workers of one machine: deployments on several
application machines turn the index off (``SEARCH_RANKING_INDEX=false``) and rank with
PostgreSQL's own full-text index.
"""

import dataclasses
import fcntl
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection, connections, transaction

from mercuryhub.lib.bulk import insert_values
from mercuryhub.search.kept import Found, Matches
from mercuryhub.search.models import SearchChange

logger = logging.getLogger(__name__)

VERSION = 4  # of the schema and of how documents are written: a change rebuilds the files
RECORD_FIELDS = ("title", "body")  # the record's own text
FIELDS = (*RECORD_FIELDS, "attachment")  # every text with words
# The tokens of the terms the entry is tagged with (search/tags.py).
TAGS = "tags"
# Every word of an entry's texts, once, without frequencies: what counting its matches reads
# (one list of entries per word of the query, not one per field).
EVERY_WORD = "words"
_BATCH = 2000
# Beyond this many entries to write, a search or a write's commit leaves the work to a thread.
LARGE = 10_000
_MARK = "mercuryhub-mark.json"
# An entry's row as the index writes it (the rows ``_documents`` reads).
_ROW = "SELECT id, kind, title, tags, body, attachment, object_id FROM search_searchentry"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("entry", indexed=True, fast=True)  # SearchEntry.id
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic", fast=True)
    # What the filter panel counts an entry under ("waste:12", "country:KEN"; register_facets).
    builder.add_text_field("facet", tokenizer_name="raw", index_option="basic", fast=True)
    for field in (*FIELDS, TAGS):
        # The words as words.words() finds them (folded, ideographs apart), joined by spaces;
        # the tags' tokens as the database holds them.
        builder.add_text_field(field, tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field(EVERY_WORD, tokenizer_name="whitespace", index_option="basic")
    return builder.build()


SCHEMA = _schema()


@dataclass(frozen=True)
class State:
    """The database's index: its generation and its last change; ``pruned``, the last change
    the log has forgotten (files whose mark is older missed changes: they are rebuilt)."""

    token: str | None
    change: int
    pruned: int = dataclasses.field(default=0, compare=False)


# The function that names the facet values of entries: (kind, object ids, database alias) ->
# {object id: [value, ...]}, declared by the app that counts them (its AppConfig.ready).
_facets = None


def register_facets(function) -> None:
    global _facets  # noqa: PLW0603 - one declaration, at start-up
    _facets = function


ENGINES = ("sqlite", "postgresql")


def enabled(alias: str = "default") -> bool:
    return connections[alias].vendor in ENGINES and settings.SEARCH_RANKING_INDEX


# The generation, the last change forgotten and the last change given: SQLite's counter
# survives the log's pruning; PostgreSQL's sequence also counts uncommitted changes, so its last
# committed one is read from the log, which pruning never empties (a write prunes the changes
# the files have taken, but for the last ``CHANGES_KEPT``, never those it adds).
_STATE = (
    "SELECT (SELECT token FROM search_searchindexgeneration ORDER BY id LIMIT 1),"
    " (SELECT pruned FROM search_searchindexgeneration ORDER BY id LIMIT 1), ({last})"
)
_LAST_CHANGE = {
    "sqlite": _STATE.format(
        last="SELECT seq FROM sqlite_sequence WHERE name = 'search_searchchange'"
    ),
    "postgresql": _STATE.format(last="SELECT max(id) FROM search_searchchange"),
}


def database_state(alias: str = "default") -> State:
    database = connections[alias]
    with database.cursor() as cursor:
        cursor.execute(_LAST_CHANGE[database.vendor])
        token, pruned, change = cursor.fetchone()
    return State(token, change or 0, pruned or 0)


# The change log's lock on PostgreSQL (an advisory lock's key): held by a writer from its first
# change to its commit.
_CHANGES_LOCK = 0x6D_48_75_62_53_43  # "mHubSC"


def lock_changes(alias: str = "default") -> None:
    """Number this transaction's changes after those of every transaction that commits before
    it (PostgreSQL: a sequence hands out numbers as writers ask, not as they commit, and a
    search must never mark as taken a number whose transaction is still to commit). A writer
    waits at most ``DATABASE_BUSY_TIMEOUT`` seconds for another's commit (a long import), then
    the request is answered 503 with Retry-After (lib/busy.py)."""
    database = connections[alias]
    if database.vendor != "postgresql":
        return  # SQLite: one writer at a time already
    with database.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        (before,) = cursor.fetchone()
        timeout = f"{settings.DATABASE_BUSY_TIMEOUT}s"
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHANGES_LOCK])
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])


@dataclass(frozen=True)
class Reading:
    """A searcher of the index at one state, and what searches found at that state."""

    searcher: tantivy.Searcher
    found: Found


class RankingIndex:
    """The files of one database's ranking index (in memory for an in-memory database) and what
    this process's searcher reflects."""

    def __init__(self, path: Path | None):
        self.path = path
        self.lock = threading.Lock()
        self.seen: State | None = None  # the state the searcher shows
        self.found: Found | None = None  # what searches found at that state
        self.found_before: Found | None = None  # at the state before, once the files change
        self.index = self._open()

    def _open(self) -> tantivy.Index:
        if self.path is None:
            return tantivy.Index(SCHEMA)
        self.path.mkdir(parents=True, exist_ok=True)
        mark = self._read_mark()
        if mark is not None and mark.get("version") != VERSION:
            self._clear_files()
        try:
            return tantivy.Index(SCHEMA, path=str(self.path), reuse=True)
        except (OSError, ValueError):  # written by another schema, or damaged: made again
            logger.warning("The ranking index at %s could not be opened: rebuilding", self.path)
            self._clear_files()
            return tantivy.Index(SCHEMA, path=str(self.path), reuse=True)

    def _clear_files(self) -> None:
        for child in self.path.iterdir():
            if child.is_file() and child.name != ".lock":
                child.unlink()

    # The mark ---------------------------------------------------------------------------

    def _read_mark(self) -> dict | None:
        if self.path is None:
            return self._memory_mark
        try:
            return json.loads((self.path / _MARK).read_text())
        except (OSError, ValueError):
            return None

    _memory_mark: dict | None = None

    def _write_mark(self, state: State) -> None:
        mark = {"version": VERSION, "token": state.token, "change": state.change}
        if self.path is None:
            self._memory_mark = mark
            return
        temporary = self.path / f".{_MARK}.{os.getpid()}"
        temporary.write_text(json.dumps(mark))
        os.replace(temporary, self.path / _MARK)

    @staticmethod
    def _state_of(mark: dict | None) -> State | None:
        if mark is None or mark.get("version") != VERSION:
            return None
        return State(mark.get("token"), mark.get("change", 0))

    # Catching up ------------------------------------------------------------------------

    def reading_for(self, alias: str = "default") -> Reading | None:
        """A searcher holding every change the database has committed, or None when this
        process cannot have one now (the caller searches the database's own index instead)."""
        database = connections[alias]
        state = database_state(alias)
        if state == self.seen:
            return self._reading(state)
        if database.in_atomic_block:  # what it sees may be its own, not yet committed
            return None
        if not self.lock.acquire(blocking=False):  # this process's thread applies them
            return None
        try:
            if self.seen != state and not self._catch_up(state, alias, wait=False, large=False):
                return None
            return self._reading(self.seen)
        finally:
            self.lock.release()

    def _reading(self, state: State) -> Reading:
        found = self.found
        if found is None or found.state != state:
            before, self.found_before = self.found_before, None
            changed = _changed(before.state, state) if before is not None else None
            # The words' matches, read again where entries changed, or afresh.
            matches = Matches(SCHEMA) if changed is None else before.matches.carried(changed)
            found = self.found = Found(state, matches)
        return Reading(self.index.searcher(), found)

    def catch_up(self, alias: str = "default", *, large: bool = True) -> bool:
        """Apply the committed changes the index lacks, waiting for another writer if need be
        (by ``serve``, ``reindex`` and a restore). Not ``large`` (after a write's commit, in a
        request): nothing waits for another writer, work beyond a request's (a rebuild, many
        changes) goes to a thread of its own, and False says the index is not up to date."""
        if connections[alias].in_atomic_block or not self.lock.acquire(blocking=large):
            return False
        try:
            return self._catch_up(database_state(alias), alias, wait=large, large=large)
        finally:
            self.lock.release()

    def _catch_up(self, state: State, alias: str, *, wait: bool, large: bool) -> bool:
        mark = self._state_of(self._read_mark())
        # What was found before the files change is not kept (the words' matches are carried).
        self.found_before, self.found = self.found or self.found_before, None
        if mark == state:  # another worker applied them
            self.index.reload()
            self.seen = state
            return True
        if not large and self._large(mark, state, alias):
            self._catch_up_in_background(alias)
            return False
        with _FileLock(self.path, wait=wait) as locked:
            if not locked:
                return False
            self.index.reload()
            state = database_state(alias)  # what is committed now, under the lock
            mark = self._state_of(self._read_mark())
            if mark != state:
                self._apply(state, None if _rebuild(mark, state) else mark.change, alias)
                self._write_mark(state)
            self.index.reload()
            self.seen = state
            return True

    def _large(self, mark: State | None, state: State, alias: str) -> bool:
        if _rebuild(mark, state):
            with connections[alias].cursor() as cursor:  # a rebuild
                cursor.execute("SELECT count(*) FROM search_searchentry")
                return cursor.fetchone()[0] > LARGE
        return state.change - mark.change > LARGE

    _background: threading.Thread | None = None

    def _catch_up_in_background(self, alias: str) -> None:
        """Large work away from the request (a gunicorn worker's request would time out and
        lose it): the database's own index answers searches meanwhile."""
        if self._background is not None and self._background.is_alive():
            return

        def run():
            try:
                self.catch_up(alias)
            except Exception:  # the next search tries again
                logger.exception("The ranking index could not take the changes")
            finally:
                connections[alias].close()

        self._background = threading.Thread(target=run, name="ranking-index", daemon=True)
        self._background.start()

    def wait_for_background(self, timeout: float | None = None) -> None:
        """Until the large work taken away from a request (``_catch_up_in_background``), if
        any, has ended: for a command that goes on to remove the database it wrote."""
        if self._background is not None:
            self._background.join(timeout)

    def _apply(self, state: State, since: int | None, alias: str) -> None:
        """Write the entries changed after ``since`` (all of them when None) as the database
        holds them now, and remove those it no longer holds."""
        writer = self.index.writer(heap_size=100_000_000 if since is None else 30_000_000)
        try:
            with connections[alias].cursor() as cursor:
                if since is None:
                    writer.delete_all_documents()
                    last = 0
                    while True:
                        cursor.execute(
                            f"{_ROW} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                            [last, _BATCH],
                        )
                        rows = cursor.fetchall()
                        if not rows:
                            break
                        for document in _documents(rows, alias):
                            writer.add_document(document)
                        last = rows[-1][0]
                else:
                    cursor.execute(
                        "SELECT DISTINCT entry_id FROM search_searchchange"
                        " WHERE id > %s AND id <= %s",
                        [since, state.change],
                    )
                    changed = [pk for (pk,) in cursor.fetchall()]
                    for start in range(0, len(changed), _BATCH):
                        batch = changed[start : start + _BATCH]
                        # (by query: delete_documents_by_term does not match unsigned terms)
                        writer.delete_documents_by_query(
                            tantivy.Query.term_set_query(SCHEMA, "entry", batch)
                        )
                        cursor.execute(
                            f"{_ROW} WHERE id IN ({', '.join(['%s'] * len(batch))})",  # noqa: S608
                            batch,
                        )
                        for document in _documents(cursor.fetchall(), alias):
                            writer.add_document(document)
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            # The files' lock goes with the writer: the traceback, which a log keeps, must not.
            del writer
            raise


# The last changes the log keeps of those this machine's files have taken: a worker that did
# not search while they were made reads what it keeps of the searches' words again for the
# entries they changed (search/kept.py) rather than afresh, and files of another machine
# fewer changes behind replay them rather than rebuild.
CHANGES_KEPT = Matches.CARRIED


def _changed(before: State, state: State, alias: str = "default") -> set[int] | None:
    """The entries changed from one state of the index to a later one, or None when not known
    (another generation, changes the log has forgotten) or too many to be worth reading."""
    if _rebuild(before, state) or state.change - before.change > Matches.CARRIED:
        return None
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT entry_id FROM search_searchchange WHERE id > %s AND id <= %s",
            [before.change, state.change],
        )
        return {pk for (pk,) in cursor.fetchall()}


def _rebuild(mark: State | None, state: State) -> bool:
    """Whether files at ``mark`` must be made again rather than take the changes since: none, of
    another generation, ahead of the database (a restored older copy), or older than changes
    the log no longer holds."""
    return (
        mark is None
        or mark.token != state.token
        or mark.change > state.change
        or mark.change < state.pruned
    )


def _documents(rows, alias: str) -> list[tantivy.Document]:
    """The index's documents for rows of ``_ROW``, with each entry's facet values as the
    database holds them now."""
    from mercuryhub.search.words import word_text

    object_ids: dict[str, list[int]] = {}
    for row in rows:
        object_ids.setdefault(row[1], []).append(row[6])
    facets = {}
    for kind, ids in object_ids.items():
        try:
            facets[kind] = _facets(kind, ids, alias) if _facets is not None else {}
        except LookupError:  # a kind no longer declared: its words only (reindex drops it)
            facets[kind] = {}
    documents = []
    for pk, kind, title, tags, body, attachment, object_id in rows:
        document = tantivy.Document()
        document.add_unsigned("entry", pk)
        document.add_text("kind", kind)
        if tags:
            document.add_text(TAGS, tags)
        every_word = {}
        for field, text in zip(FIELDS, (title, body, attachment), strict=True):
            if text:
                found = word_text(text)
                document.add_text(field, found)
                every_word.update(dict.fromkeys(found.split()))
        if every_word:
            document.add_text(EVERY_WORD, " ".join(every_word))
        for value in facets[kind].get(object_id, ()):
            document.add_text("facet", value)
        documents.append(document)
    return documents


class _FileLock:
    """One writer of the files across processes (an advisory lock the system releases when
    its holder dies); a thread lock does it for an in-memory index."""

    def __init__(self, path: Path | None, *, wait: bool):
        self.path, self.wait, self.handle = path, wait, None

    def __enter__(self) -> bool:
        if self.path is None:
            return True
        self.handle = open(self.path / ".lock", "a")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            self.handle.close()
            self.handle = None
            return False
        return True

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


# One index per database, for the life of the process.
_INDEXES: dict[tuple[str, str], RankingIndex] = {}
_INDEXES_LOCK = threading.Lock()


def index_for(alias: str = "default") -> RankingIndex:
    name = str(connections[alias].settings_dict["NAME"])
    key = (alias, name)
    with _INDEXES_LOCK:
        if key not in _INDEXES:
            database = connections[alias]
            _INDEXES[key] = RankingIndex(_path_for(database.vendor, database.settings_dict))
        return _INDEXES[key]


def _path_for(vendor: str, database: dict) -> Path | None:
    """Beside an SQLite database file; None (in memory) for an in-memory database; for a
    PostgreSQL database, in the data directory, named by its server and name."""
    name = str(database["NAME"])
    if vendor == "postgresql":
        server = f"{database.get('HOST') or 'local'}-{database.get('PORT') or 5432}"
        return Path(settings.DATA_DIR) / "search" / f"postgresql-{server}-{name}"
    if name == ":memory:" or name.startswith("file:") and "mode=memory" in name:
        return None
    return Path(name).with_name(Path(name).name + ".search")


def catch_up_after_commit(alias: str = "default") -> None:
    """Bring the index up to date after a transaction that wrote to it: the writer pays for
    its changes, not the next search. A failure leaves the changes for the next search."""
    try:
        index_for(alias).catch_up(alias, large=False)
    except Exception:  # the search that follows catches up, or asks the database
        logger.exception("The ranking index could not take the last changes")


def reading() -> Reading | None:
    """A searcher up to date with the database and what searches found with it, or None: the
    database's own index answers."""
    if not enabled():
        return None
    try:
        return index_for().reading_for()
    except (OSError, ValueError):  # files another process is replacing: the database answers
        logger.exception("The ranking index could not be read")
        return None


def searcher() -> tantivy.Searcher | None:
    """``reading()``'s searcher alone."""
    found = reading()
    return found.searcher if found is not None else None


# The change log ---------------------------------------------------------------------------

_TOGETHER = threading.local()


@contextmanager
def changes_logged_together() -> Iterator[None]:
    """Within, the changes ``do_index`` and ``do_unindex`` make are logged once, at the end
    (still inside the caller's transaction, which must enclose this): a long import on
    PostgreSQL then holds the change log's lock (``lock_changes``) for its last moment only,
    not while it writes, and other writers need not wait for it."""
    if getattr(_TOGETHER, "entry_ids", None) is not None:  # within another
        yield
        return
    _TOGETHER.entry_ids = []
    try:
        yield
        entry_ids = _TOGETHER.entry_ids
    finally:
        _TOGETHER.entry_ids = None
    log_changes(list(dict.fromkeys(entry_ids)))


def log_changes(entry_ids: list[int]) -> None:
    """Tell the ranking index which entries changed, and forget the changes it has taken. With
    the index turned off nothing takes them: the generation is forgotten instead, so that files
    made before are rebuilt rather than trusted if it is turned on again."""
    if not entry_ids or connection.vendor not in ENGINES:
        return
    together = getattr(_TOGETHER, "entry_ids", None)
    if together is not None:
        together.extend(entry_ids)
        return
    if not enabled():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchindexgeneration")
        return
    # The lock and the changes within one transaction: the caller's, if it has one.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        lock_changes()
        cursor.execute(
            "INSERT INTO search_searchindexgeneration (token) SELECT %s"
            " WHERE NOT EXISTS (SELECT 1 FROM search_searchindexgeneration)",
            [uuid.uuid4().hex],
        )
        field = SearchChange._meta.get_field("entry_id")
        insert_values(SearchChange, [field], ([pk] for pk in entry_ids))
        applied = index_for().seen
        forgotten = applied.change - CHANGES_KEPT if applied is not None else 0
        if forgotten > 0:  # of this generation only
            cursor.execute(
                "DELETE FROM search_searchchange WHERE id <= %s AND EXISTS"
                " (SELECT 1 FROM search_searchindexgeneration WHERE token = %s)",
                [forgotten, applied.token],
            )
            if cursor.rowcount:
                cursor.execute(
                    "UPDATE search_searchindexgeneration SET pruned = %s"
                    " WHERE token = %s AND pruned < %s",
                    [forgotten, applied.token, forgotten],
                )
    transaction.on_commit(catch_up_after_commit)
