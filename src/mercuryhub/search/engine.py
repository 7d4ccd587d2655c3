"""The one search module: full-text search on the database's own engine.

SQLite uses an FTS5 table (``search_fts``, rowid = SearchEntry.id, diacritics removed by the
tokenizer) for the record's own text, and a second one (``search_attachment_fts``) for the text of
the files attached to records (an uploaded document's pages), so that the long texts of a few
records never slow down the search of the others' titles; PostgreSQL a weighted ``tsvector`` with
a GIN index, built from accent-folded text. Both rank title above tags above body above
attached text, match every word as a prefix (in the record's text, or in a word of its tags'
labels and synonyms: search/tags.py), ignore case and accents, and correct typos in names
from the words of indexed titles. Records reach the index through
``do_index`` / ``do_unindex``, called by the actions that write them, in the same transaction.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, connections, transaction

from mercuryhub.lib.bulk import give_reserved_ids, insert_rows
from mercuryhub.search import ranking_index, ranking_search, tags, vectors
from mercuryhub.search.groups import (
    ATTACHMENT,
    BODY_WEIGHT,
    RECORD,
    TAG_WEIGHT,
    TITLE,
    TITLE_WEIGHT,
    GroupedPage,
    results,
    score,
)
from mercuryhub.search.models import SearchEntry, SearchWord
from mercuryhub.search.tags import tag_text
from mercuryhub.search.words import query_words, segmented, words

# The kinds of record the index holds, declared by the apps that index them (in their
# AppConfig.ready): a search across all of them needs no condition on the kind.
_KINDS: set[str] = set()


def register_kinds(*kinds: str) -> None:
    _KINDS.update(kinds)


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    title: str
    tags: tuple[int, ...] = ()  # the ids of the terms it is tagged with (search/tags.py)
    body: str = ""
    attachment: str = ""  # the text of a file attached to the record (a document's pages)


# Writing the index -------------------------------------------------------------------------


def do_index(documents: Iterable[Document]) -> int:
    """Add or replace the documents in the index. Returns how many were written."""
    documents = list(documents)
    if not documents:
        return 0
    unknown = {d.kind for d in documents} - _KINDS
    if unknown:
        raise ValueError(f"Register the kinds {sorted(unknown)} with register_kinds() first")
    by_key = {(d.kind, d.object_id): d for d in documents}
    existing = {(entry.kind, entry.object_id): entry for entry in _entries_for(by_key.keys())}
    to_create, to_update = [], []
    for key, document in by_key.items():
        entry = existing.get(key)
        if entry is None:
            to_create.append(SearchEntry(kind=document.kind, object_id=document.object_id))
            entry = to_create[-1]
        else:
            to_update.append(entry)
        entry.title, entry.tags, entry.body = document.title, tag_text(document.tags), document.body
        entry.attachment = document.attachment
    SearchEntry.objects.bulk_update(
        to_update, ["title", "tags", "body", "attachment"], batch_size=500
    )
    # The keys of the new rows are reserved within a transaction: the caller's, if it has one.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":  # each row written once, with its vector
            give_reserved_ids(SearchEntry, to_create)
            vectors.write_vectors(to_create, new=True)
        else:
            insert_rows(SearchEntry, to_create, with_ids=True)
    entries = to_update + to_create
    _write_engine_index(entries, replaced=to_update)
    _remember_title_words(entries)
    ranking_index.log_changes([entry.pk for entry in entries])
    return len(entries)


def do_unindex(kind: str, object_ids: Iterable[int]) -> None:
    entries = SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids))
    ids = list(entries.values_list("pk", flat=True))
    if not ids:  # a draft, say, never indexed
        return
    # The rows go, then their changes are logged, in one transaction (the caller's, if it has
    # one): the ranking index takes the changes once it commits, and finds the rows gone.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for table in _SQLITE_TABLES:
                    cursor.executemany(
                        f"DELETE FROM {table} WHERE rowid = %s",  # noqa: S608
                        [(pk,) for pk in ids],
                    )
        entries.delete()
        ranking_index.log_changes(ids)


def do_renew_generation(using: str = "default") -> None:
    """Name the index anew: the ranking index rebuilds from the entries rather than replaying
    changes (after a full reindex, a restore or emptied tables, which it never saw)."""
    if not ranking_index.enabled(using):
        return
    with connections[using].cursor() as cursor:
        cursor.execute("DELETE FROM search_searchindexgeneration")
        cursor.execute(
            "INSERT INTO search_searchindexgeneration (token) VALUES (%s)", [uuid.uuid4().hex]
        )
    transaction.on_commit(lambda: ranking_index.catch_up_after_commit(using), using=using)


def has_outdated_documents(using: str = "default") -> bool:
    """Whether entries indexed before their tags were tokens (migration search 0007) are left:
    their tags find nothing until they are indexed again (``serve`` does it)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM search_searchentry WHERE tags <> '' AND substr(tags, 1, 1) <> %s"
            " LIMIT 1",
            [tags.MARK],
        )
        return cursor.fetchone() is not None


# Changes logged once, as the transaction of a long import ends (search/ranking_index.py).
changes_logged_together = ranking_index.changes_logged_together


def do_drop_orphans(using: str = "default") -> int:
    """Remove full-text rows left without their entry (``flush`` empties the tables): how many."""
    database = connections[using]
    if database.vendor != "sqlite":
        return 0
    with database.cursor() as cursor:
        removed = 0
        for table in _SQLITE_TABLES:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [f"{table}_docsize"])
            if cursor.fetchone() is None:  # before the migrations that create it
                continue
            # Through FTS5's table of row sizes: the text itself is gigabytes at 1M records.
            cursor.execute(
                f"SELECT id FROM {table}_docsize WHERE id NOT IN"  # noqa: S608 - a fixed name
                " (SELECT id FROM search_searchentry)"
            )
            orphans = cursor.fetchall()
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", orphans)  # noqa: S608
            removed += len(orphans)
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_searchindexgeneration'")
        if removed and cursor.fetchone() is not None:  # the ranking index holds them too
            do_renew_generation(using)
        return removed


_SQLITE_TABLES = ("search_fts", "search_attachment_fts")


def _entries_for(keys) -> Iterable[SearchEntry]:
    keys = list(keys)
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, object_ids in by_kind.items():
        for start in range(0, len(object_ids), 900):
            yield from SearchEntry.objects.filter(
                kind=kind, object_id__in=object_ids[start : start + 900]
            )


def _write_engine_index(entries: list[SearchEntry], *, replaced: list[SearchEntry]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Only replaced entries can have a row: new ids are never reused (AUTOINCREMENT).
            for table in _SQLITE_TABLES:
                cursor.executemany(
                    f"DELETE FROM {table} WHERE rowid = %s",  # noqa: S608 - a fixed name
                    [(entry.pk,) for entry in replaced],
                )
            # The column named synonyms holds the tags' tokens.
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, synonyms, body, kind)"
                " VALUES (%s, %s, %s, %s, %s)",
                [(e.pk, segmented(e.title), e.tags, segmented(e.body), e.kind) for e in entries],
            )
            # The attached text beside the record's own, so that a record matches when every
            # word is in one or the other.
            cursor.executemany(
                "INSERT INTO search_attachment_fts (rowid, record, attachment, kind)"
                " VALUES (%s, %s, %s, %s)",
                [
                    (
                        e.pk,
                        segmented(" ".join((e.title, e.tags, e.body))),
                        segmented(e.attachment),
                        _kind_token(e.kind),
                    )
                    for e in entries
                    if e.attachment
                ],
            )
        elif connection.vendor == "postgresql":  # new entries were written with theirs
            vectors.write_vectors(replaced, new=False)


def _remember_title_words(entries: list[SearchEntry]) -> None:
    found = {word for entry in entries for word in words(entry.title) if 3 <= len(word) <= 100}
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, initial=word[0], length=len(word)) for word in sorted(found)],
        ignore_conflicts=True,
        batch_size=1000,
    )


# Reading the index -------------------------------------------------------------------------


def fts5_words(terms: list[str], operator: str) -> str:
    return f" {operator} ".join(f'"{term}"*' for term in terms)


def fts5_every_word(terms: list[str], columns: str, tags_column: str) -> str:
    """Every word of the query as a prefix in the text of ``columns``, or in the tags (their
    tokens in ``tags_column``) that it finds."""
    found = []
    for term in terms:
        in_text = f'{{{columns}}}: "{term}"*'
        tokens = tags.tokens_for(term)
        if tokens:
            quoted = " OR ".join(f'"{token}"' for token in tokens)
            in_text = f"({in_text} OR {{{tags_column}}}: ({quoted}))"
        found.append(in_text)
    return f"({' AND '.join(found)})"


def _kind_token(kind: str) -> str:
    """The kind as one word, for ``search_attachment_fts`` whose index keeps no word positions,
    so cannot match the two words of "case_study" as a phrase."""
    return kind.replace("_", "")


def fts5_kinds(kinds: list[str] | None, token=str) -> str:
    """The condition on the kind (none when they are all the kinds indexed: it would cost a few
    milliseconds). Where the kinds wanted are most of those indexed, the kinds left out are
    excluded instead: FTS5 reads the list of every record of each kind named, and the many
    kinds wanted together hold nearly every record."""
    if not kinds or set(kinds) >= _KINDS:
        return ""
    others = sorted(_KINDS - set(kinds))
    excluded = len(others) < len(set(kinds))
    quoted = " OR ".join(f'"{token(kind)}"' for kind in (others if excluded else kinds))
    return f" {'NOT' if excluded else 'AND'} {{kind}}: ({quoted})"


def _fts5_expression(terms: list[str], kinds: list[str] | None = None) -> str:
    """Every word in the record's text columns of ``search_fts`` or its tags (never in
    ``kind``), in a record of one of the kinds."""
    return f"{fts5_every_word(terms, 'title body', 'synonyms')}{fts5_kinds(kinds)}"


def _fts5_attached(terms: list[str], kinds: list[str] | None = None) -> str:
    """For ``search_attachment_fts``: every word in the record's text or its attached text, but
    not every word in the record's text (those records ``search_fts`` finds)."""
    anywhere = fts5_every_word(terms, "record attachment", "record")
    found = f"({anywhere} NOT {fts5_every_word(terms, 'record', 'record')})"
    return found + fts5_kinds(kinds, _kind_token)


def _fts5_title(terms: list[str]) -> str:
    return f"{{title}}: ({fts5_words(terms, 'OR')})"


def tsquery(terms: list[str], weight: str = "", operator: str = "&") -> str:
    return f" {operator} ".join(f"{term}:*{weight}" for term in terms)


# The weights of the vector's text (B is the tags'): the title, the body and the attached text.
_TEXT_WEIGHTS = "ACD"


def tsquery_every_word(terms: list[str], weights: str) -> str:
    """Every word of the query as a prefix in the text of ``weights``, or in the tags (weight
    B) that it finds."""
    found = []
    for term in terms:
        either = [f"{term}:*{weights}", *(f"{token}:B" for token in tags.tokens_for(term))]
        found.append(f"({' | '.join(either)})")
    return " & ".join(found)


_SQLITE_MATCHES = (
    "SELECT {columns} FROM search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid"
    " WHERE search_fts MATCH %s{condition}"
    " UNION ALL SELECT {columns} FROM search_attachment_fts f"
    " CROSS JOIN search_searchentry e ON e.id = f.rowid"
    " WHERE search_attachment_fts MATCH %s{condition}"
)


def match_sql(query: str, kind: str) -> tuple[str, list] | None:
    """SQL selecting the object ids of ``kind`` that match every word of the query, for use in
    ``pk__in=RawSQL(...)``; None when the query has no words."""
    terms = query_words(query)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        sql = _SQLITE_MATCHES.format(columns="e.object_id", condition=" AND e.kind = %s")
        return sql, [_fts5_expression(terms, [kind]), kind, _fts5_attached(terms, [kind]), kind]
    return (
        "SELECT object_id FROM search_searchentry"
        " WHERE document @@ to_tsquery('simple', %s) AND kind = %s",
        [tsquery_every_word(terms, _TEXT_WEIGHTS), kind],
    )


def matches(query: str, kinds: list[str], *, cap: int) -> dict[str, list[int]] | None:
    """The object ids of each kind matching every word of the query, in increasing order (the
    same on both engines: PostgreSQL returns rows in no set order), or None when there are
    more than ``cap``."""
    terms = query_words(query)
    if not terms or not kinds:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                _SQLITE_MATCHES.format(columns="e.kind, e.object_id", condition="") + " LIMIT %s",
                [_fts5_expression(terms, kinds), _fts5_attached(terms, kinds), cap + 1],
            )
        else:
            cursor.execute(
                "SELECT kind, object_id FROM search_searchentry"
                " WHERE document @@ to_tsquery('simple', %s) AND kind = ANY(%s) LIMIT %s",
                [tsquery_every_word(terms, _TEXT_WEIGHTS), list(kinds), cap + 1],
            )
        rows = cursor.fetchall()
    if len(rows) > cap:
        return None
    found: dict[str, list[int]] = {}
    for kind, object_id in sorted(rows):
        found.setdefault(kind, []).append(object_id)
    return found


register_facets = ranking_index.register_facets


def facet_counts(
    query: str, kinds: list[str], conditions: list[list[str]]
) -> tuple[dict[str, int], dict[str, int]] | None:
    """Entries per kind and per facet value (``register_facets``) among the entries of
    ``kinds`` matching every word of the query and one value of each list of ``conditions``;
    None where the ranking index cannot say (a query without words, the index turned off, or
    changes it cannot take now): the caller counts in the database."""
    terms = query_words(query)
    if not terms:
        return None
    reading = ranking_index.reading()
    if reading is None:
        return None
    return ranking_search.facet_counts(
        reading.searcher, terms, kinds, conditions, indexed=_KINDS, found=reading.found
    )


def ranked(
    query: str,
    kinds: list[str],
    *,
    within: dict[str, tuple[str, list]] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[tuple[str, int, float]], int]:
    """The best matches as (kind, object_id, score), highest score first, and how many match.

    ``within`` restricts a kind to the ids a SQL query selects (the filtered records), so that
    ranking, counting and filters agree. Without it every indexed record of the kinds counts:
    the index holds exactly the published records.
    """
    terms = query_words(query)
    if not terms or not kinds:
        return [], 0
    reading = ranking_index.reading()
    allowed = ranking_search.entries_within(kinds, within) if reading and within else None
    if reading is not None and (allowed is not None or not within):
        search = ranking_search.Search(
            reading.searcher, terms, kinds, allowed, indexed=_KINDS, found=reading.found
        )
        return search.page(limit, offset)
    if connection.vendor == "sqlite":
        return _SqliteSearch(terms, kinds, within or {}).page(limit, offset)
    return _PostgresqlSearch(terms, kinds, within or {}).page(limit, offset)


class _SqliteSearch(GroupedPage):
    """FTS5: the text, the title group and the kinds are all one MATCH expression, so that the
    index alone finds a group's matches. Restrictions, when there are any, are checked per match
    by a correlated EXISTS (a primary-key lookup) rather than materialised for every query."""

    groups = (TITLE, RECORD, ATTACHMENT)
    # Each table's score and order. bm25() on the attached texts would read every match's word
    # counts (0.3 ms each on documents of 20 pages): the records found only in attached text come
    # newest first instead, with the group's base score.
    SCORES = {
        "search_fts": f"-bm25(search_fts, {TITLE_WEIGHT}, {TAG_WEIGHT}, {BODY_WEIGHT}, 0)",
        "search_attachment_fts": "0",
    }
    ORDERS = {"search_fts": "score DESC, {id}", "search_attachment_fts": "{id} DESC"}

    def __init__(self, terms, kinds, within):
        self.matching = _fts5_expression(terms, kinds)
        self.title = _fts5_title(terms)
        self.attached = _fts5_attached(terms, kinds)
        self.ctes, self.cte_params, conditions, self.condition_params = [], [], [], []
        for position, kind in enumerate(kinds):
            restriction = within.get(kind)
            self.condition_params.append(kind)
            if restriction is None:
                conditions.append("e.kind = %s")
                continue
            sql, restriction_params = restriction
            self.ctes.append(f"within_{position}(object_id) AS ({sql})")
            self.cte_params.extend(restriction_params)
            conditions.append(
                f"(e.kind = %s AND EXISTS (SELECT 1 FROM within_{position} w"  # noqa: S608
                " WHERE w.object_id = e.object_id))"
            )
        self.restricted = bool(self.ctes)
        self.conditions = " OR ".join(conditions)

    def _match(self, group):
        """The table that holds a group's matches and the expression that finds them (group
        None: the title and record groups together)."""
        if group == ATTACHMENT:
            return "search_attachment_fts", self.attached
        if group is None:
            return "search_fts", self.matching
        if group == TITLE:
            return "search_fts", f"{self.matching} AND {self.title}"
        return "search_fts", f"({self.matching}) NOT {self.title}"

    def top(self, group, *, limit, offset):
        if self.restricted:
            return self._top_restricted(group, limit, offset)[0]
        table, expression = self._match(group)
        with connection.cursor() as cursor:  # the index alone ranks the group
            cursor.execute(
                f"SELECT rowid, {self.SCORES[table]} AS score FROM {table}"  # noqa: S608
                f" WHERE {table} MATCH %s ORDER BY {self.ORDERS[table].format(id='rowid')}"
                " LIMIT %s OFFSET %s",
                [expression, limit, offset],
            )
            scored = cursor.fetchall()
        return results(group, scored)

    def top_counted(self, group, *, limit, offset):
        if not self.restricted:
            return super().top_counted(group, limit=limit, offset=offset)
        # Checking every match of a group against the restrictions is the costly part: count
        # them in the same pass.
        rows, total = self._top_restricted(group, limit, offset)
        return rows, total if total is not None else self.count(group)

    def _top_restricted(self, group, limit, offset):
        """A group's page, each match checked against its restriction, and the number of
        matches passing (None when the page is empty: nothing to read it from)."""
        table, expression = self._match(group)
        with connection.cursor() as cursor:
            # LIMIT -1 keeps the inner query a co-routine, where bm25() may be called.
            cursor.execute(
                f"{self._with()}SELECT kind, object_id, score, count(*) OVER ()"  # noqa: S608
                " FROM (SELECT e.kind AS kind, e.object_id AS object_id, e.id AS id,"
                f" {self.SCORES[table]} AS score {self._source(table)} LIMIT -1)"
                f" ORDER BY {self.ORDERS[table].format(id='id')} LIMIT %s OFFSET %s",
                [*self.cte_params, expression, *self.condition_params, limit, offset],
            )
            rows = cursor.fetchall()
        total = rows[0][3] if rows else (0 if offset == 0 else None)
        return [(kind, pk, score(group, s)) for kind, pk, s, _n in rows], total

    def count(self, group):
        table, expression = self._match(group)
        with connection.cursor() as cursor:
            if self.restricted:
                cursor.execute(
                    f"{self._with()}SELECT count(*) {self._source(table)}",  # noqa: S608
                    [*self.cte_params, expression, *self.condition_params],
                )
            else:
                cursor.execute(
                    f"SELECT count(*) FROM {table} WHERE {table} MATCH %s",  # noqa: S608
                    [expression],
                )
            return cursor.fetchone()[0]

    def count_from(self, index):
        if index == 0:  # the title and record groups in one count
            return self.count(None) + self.count(ATTACHMENT)
        return super().count_from(index)

    def _with(self):
        return f"WITH {', '.join(self.ctes)} " if self.ctes else ""

    def _source(self, table):
        # CROSS JOIN: the full-text index drives the join (SQLite would otherwise scan the
        # entries of a kind and probe the index once for each).
        return (
            f"FROM {table} f CROSS JOIN search_searchentry e ON e.id = f.rowid"
            f" WHERE {table} MATCH %s AND ({self.conditions})"
        )


class _PostgresqlSearch(GroupedPage):
    """A weighted tsvector: the title is weight A, the tags B, body C and the attached text D,
    so that one vector finds the same groups as SQLite's two tables: the title group matches a
    word with weight A, the record groups every word with weight A or C or in the tags (B)."""

    groups = (TITLE, RECORD, ATTACHMENT)

    def __init__(self, terms, kinds, within):
        self.queries = {
            "every": tsquery_every_word(terms, _TEXT_WEIGHTS),
            "record": tsquery_every_word(terms, "AC"),
            "title": tsquery(terms, operator="|"),  # in the title's words (weight A) alone
        }
        conditions, self.params = [], []
        for kind in kinds:
            restriction = within.get(kind)
            if restriction is None:
                conditions.append("e.kind = %s")
                self.params.append(kind)
            else:
                sql, restriction_params = restriction
                conditions.append(f"(e.kind = %s AND e.object_id IN ({sql}))")
                self.params.extend([kind, *restriction_params])
        self.conditions = " OR ".join(conditions)

    # Each group as the tests that it adds to matching every word. The title's words are
    # tested in the vector's words of weight A (an expression the migration search 0005 indexes),
    # so that the title group is found by an index, not by reading every match's whole vector.
    _GROUPS = {
        None: (),
        TITLE: (("record", ""), ("title", "")),
        RECORD: (("record", ""), ("title", "NOT ")),
        ATTACHMENT: (("record", "NOT "),),
    }
    _TESTED = {"record": "e.document", "title": "ts_filter(e.document, '{a}')"}

    def _source(self, group):
        tests = self._GROUPS[group]
        sql = "FROM search_searchentry e WHERE e.document @@ to_tsquery('simple', %s)" + "".join(
            f" AND {negation}{self._TESTED[name]} @@ to_tsquery('simple', %s)"
            for name, negation in tests
        )
        params = [self.queries["every"], *(self.queries[name] for name, _negation in tests)]
        return f"{sql} AND ({self.conditions})", [*params, *self.params]

    def top(self, group, *, limit, offset):
        source, params = self._source(group)
        if group == ATTACHMENT:  # newest first, as on SQLite
            ranking, order, score_params = "0", "e.id DESC", []
        else:
            ranking = "ts_rank('{0.1, 0.1, 0.4, 1.0}', e.document, to_tsquery('simple', %s))"
            order, score_params = "score DESC, e.id", [self.queries["every"]]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.kind, e.object_id, {ranking} AS score {source}"  # noqa: S608
                f" ORDER BY {order} LIMIT %s OFFSET %s",
                [*score_params, *params, limit, offset],
            )
            return [(kind, pk, score(group, s)) for kind, pk, s in cursor.fetchall()]

    def count(self, group):
        source, params = self._source(group)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {source}", params)  # noqa: S608
            return cursor.fetchone()[0]

    def count_from(self, index):
        return self.count(None) if index == 0 else super().count_from(index)
