"""The one search module: full-text search on the database's own engine.

SQLite uses an FTS5 table (``search_fts``, rowid = SearchEntry.id, diacritics removed by the
tokenizer); PostgreSQL a weighted ``tsvector`` with a GIN index, built from accent-folded text.
Both rank title above synonyms above body, match every word as a prefix, ignore case and accents,
and correct typos in names from the words of indexed titles. Records reach the index through
``do_index`` / ``do_unindex``, called by the actions that write them, in the same transaction.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, connections
from rapidfuzz import fuzz, process

from mercuryhub.search.models import SearchEntry, SearchWord

_WORD = re.compile(r"\w+", re.UNICODE)
TITLE_WEIGHT, SYNONYM_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
_MAX_WORDS = 12


# Chinese (and Japanese kanji) is written without spaces between words, which the engines' word
# splitting needs: each ideograph is indexed and searched as a word of its own, so that "处理"
# finds "灯管处理线" (every character of the query, in any order, as for the words of a query).
_IDEOGRAPH = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def segmented(text: str) -> str:
    """The text with a space around each ideograph."""
    return _IDEOGRAPH.sub(r" \1 ", text or "")


def normalize(text: str) -> str:
    """Case- and accent-folded text: "Montréal" and "MONTREAL" both become "montreal"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(segmented(text)))


def query_words(query: str) -> list[str]:
    """The words of a query, without duplicates, at most twelve."""
    return list(dict.fromkeys(words(query)))[:_MAX_WORDS]


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
    synonyms: str = ""
    body: str = ""


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
        entry.title, entry.synonyms, entry.body = document.title, document.synonyms, document.body
    SearchEntry.objects.bulk_update(to_update, ["title", "synonyms", "body"], batch_size=500)
    created = SearchEntry.objects.bulk_create(to_create, batch_size=500)
    if connection.vendor == "sqlite" and any(entry.pk is None for entry in created):
        created = list(_entries_for({(e.kind, e.object_id) for e in created}))
    entries = to_update + list(created)
    _write_engine_index(entries, replaced=to_update)
    _remember_title_words(entries)
    return len(entries)


def do_unindex(kind: str, object_ids: Iterable[int]) -> None:
    entries = SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids))
    if connection.vendor == "sqlite":
        ids = list(entries.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in ids])
    entries.delete()


def do_drop_orphans(using: str = "default") -> int:
    """Remove full-text rows left without their entry (the tables were emptied around the index,
    as ``flush`` does). Returns how many were removed."""
    database = connections[using]
    if database.vendor != "sqlite":
        return 0
    with database.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_fts'")
        if cursor.fetchone() is None:  # before the migrations that create it
            return 0
        cursor.execute(
            "DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_searchentry)"
        )
        return cursor.rowcount


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
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(entry.pk,) for entry in replaced]
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, synonyms, body, kind)"
                " VALUES (%s, %s, %s, %s, %s)",
                [
                    (e.pk, segmented(e.title), segmented(e.synonyms), segmented(e.body), e.kind)
                    for e in entries
                ],
            )
        elif connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE search_searchentry SET document ="
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'C')"
                " WHERE id = %s",
                [
                    (
                        normalize(segmented(e.title)),
                        normalize(segmented(e.synonyms)),
                        normalize(segmented(e.body)),
                        e.pk,
                    )
                    for e in entries
                ],
            )


def _remember_title_words(entries: list[SearchEntry]) -> None:
    found = {word for entry in entries for word in words(entry.title) if 3 <= len(word) <= 100}
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, initial=word[0], length=len(word)) for word in sorted(found)],
        ignore_conflicts=True,
        batch_size=1000,
    )


# Reading the index -------------------------------------------------------------------------
#
# Ranking sorts the matches into two groups, as search engines with "attribute" ranking rules do:
# first the entries whose title holds a word of the query, then the others; within a group, by
# the weighted score of the engine (title above synonyms above body). A page usually comes from
# the first group alone, so the engine scores a few thousand matches, not every one of a broad
# query's: on 120,000 entries "mercury" matches 97% of them, and scoring them all took longer than
# a search may take (docs/performance.md).
#
# The score returned is the group plus the engine's score mapped into [0, 1): above 1 for
# entries whose title matched, decreasing down the list.


def _fts5_words(terms: list[str], operator: str) -> str:
    return f" {operator} ".join(f'"{term}"*' for term in terms)


def _fts5_expression(terms: list[str], kinds: list[str] | None = None) -> str:
    """Every word in the text columns (never in ``kind``), in a record of one of the kinds
    (no condition when they are all the kinds indexed: it would cost a few milliseconds)."""
    text = f"{{title synonyms body}}: ({_fts5_words(terms, 'AND')})"
    if not kinds or set(kinds) >= _KINDS:
        return text
    quoted = " OR ".join(f'"{kind}"' for kind in kinds)
    return f"{text} AND {{kind}}: ({quoted})"


def _fts5_title(terms: list[str]) -> str:
    return f"{{title}}: ({_fts5_words(terms, 'OR')})"


def _tsquery(terms: list[str], weight: str = "", operator: str = "&") -> str:
    return f" {operator} ".join(f"{term}:*{weight}" for term in terms)


def match_sql(query: str, kind: str) -> tuple[str, list] | None:
    """SQL selecting the object ids of ``kind`` that match every word of the query, for use in
    ``pk__in=RawSQL(...)``; None when the query has no words."""
    terms = query_words(query)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        return (
            "SELECT e.object_id FROM search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid"
            " WHERE search_fts MATCH %s AND e.kind = %s",
            [_fts5_expression(terms, [kind]), kind],
        )
    return (
        "SELECT object_id FROM search_searchentry"
        " WHERE document @@ to_tsquery('simple', %s) AND kind = %s",
        [_tsquery(terms), kind],
    )


def matches(query: str, kinds: list[str], *, cap: int) -> dict[str, list[int]] | None:
    """The object ids of each kind matching every word of the query, or None when there are
    more than ``cap``."""
    terms = query_words(query)
    if not terms or not kinds:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT e.kind, e.object_id FROM search_fts f"
                " CROSS JOIN search_searchentry e ON e.id = f.rowid"
                " WHERE search_fts MATCH %s LIMIT %s",
                [_fts5_expression(terms, kinds), cap + 1],
            )
        else:
            cursor.execute(
                "SELECT kind, object_id FROM search_searchentry"
                " WHERE document @@ to_tsquery('simple', %s) AND kind = ANY(%s) LIMIT %s",
                [_tsquery(terms), list(kinds), cap + 1],
            )
        rows = cursor.fetchall()
    if len(rows) > cap:
        return None
    found: dict[str, list[int]] = {}
    for kind, object_id in rows:
        found.setdefault(kind, []).append(object_id)
    return found


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
    if connection.vendor == "sqlite":
        return _SqliteSearch(terms, kinds, within or {}).page(limit, offset)
    return _PostgresqlSearch(terms, kinds, within or {}).page(limit, offset)


class _GroupedPage:
    """A page taken from the title group first, then from the other matches: the engine scores
    only the groups the page reaches, and counts the matches at most once more."""

    def page(self, limit, offset):
        rows = self.top(title_group=True, limit=limit, offset=offset)
        if len(rows) == limit:
            return rows, self.count()
        # The title group ends on this page (or before it): the other group follows.
        in_title_group = offset + len(rows) if rows or offset == 0 else self.count(title_group=True)
        rest, in_rest = self.top_counted(
            limit=limit - len(rows), offset=max(0, offset - in_title_group)
        )
        return rows + rest, in_title_group + in_rest

    def top_counted(self, *, limit, offset):
        """The other group's page and how many it holds."""
        rows = self.top(title_group=False, limit=limit, offset=offset)
        if len(rows) < limit and (rows or offset == 0):
            return rows, offset + len(rows)
        return rows, self.count(title_group=False)


def _score(in_title_group: bool, engine_score: float) -> float:
    engine_score = max(engine_score, 0.0)
    return (1.0 if in_title_group else 0.0) + engine_score / (1.0 + engine_score)


class _SqliteSearch(_GroupedPage):
    """FTS5: the text, the title group and the kinds are all one MATCH expression, so that the
    index alone finds a group's matches. Restrictions, when there are any, are checked per match
    by a correlated EXISTS (a primary-key lookup) rather than materialised for every query."""

    SCORE = f"-bm25(search_fts, {TITLE_WEIGHT}, {SYNONYM_WEIGHT}, {BODY_WEIGHT}, 0)"

    def __init__(self, terms, kinds, within):
        self.matching = _fts5_expression(terms, kinds)
        self.title = _fts5_title(terms)
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

    def _expression(self, title_group):
        if title_group is None:
            return self.matching
        if title_group:
            return f"{self.matching} AND {self.title}"
        return f"({self.matching}) NOT {self.title}"

    def top(self, *, title_group, limit, offset):
        if self.restricted:
            return self._top_restricted(title_group, limit, offset)[0]
        with connection.cursor() as cursor:  # the index alone ranks the group
            cursor.execute(
                f"SELECT rowid, {self.SCORE} AS score FROM search_fts"  # noqa: S608
                " WHERE search_fts MATCH %s ORDER BY score DESC, rowid LIMIT %s OFFSET %s",
                [self._expression(title_group), limit, offset],
            )
            scores = dict(cursor.fetchall())
            if not scores:
                return []
            cursor.execute(
                "SELECT id, kind, object_id FROM search_searchentry"  # noqa: S608
                f" WHERE id IN ({', '.join(['%s'] * len(scores))})",
                list(scores),
            )
            keys = {pk: (kind, object_id) for pk, kind, object_id in cursor.fetchall()}
        return [(*keys[pk], _score(title_group, s)) for pk, s in scores.items() if pk in keys]

    def top_counted(self, *, limit, offset):
        if not self.restricted:
            return super().top_counted(limit=limit, offset=offset)
        # Checking every match of the other group against the restrictions is the costly
        # part: count them in the same pass.
        rows, total = self._top_restricted(False, limit, offset)
        return rows, total if total is not None else self.count(title_group=False)

    def _top_restricted(self, title_group, limit, offset):
        """A group's page, each match checked against its restriction, and the number of
        matches passing (None when the page is empty: nothing to read it from)."""
        with connection.cursor() as cursor:
            # LIMIT -1 keeps the inner query a co-routine, where bm25() may be called.
            cursor.execute(
                f"{self._with()}SELECT kind, object_id, score, count(*) OVER ()"  # noqa: S608
                " FROM (SELECT e.kind AS kind, e.object_id AS object_id, e.id AS id,"
                f" {self.SCORE} AS score {self._source()} LIMIT -1)"
                " ORDER BY score DESC, id LIMIT %s OFFSET %s",
                [
                    *self.cte_params,
                    self._expression(title_group),
                    *self.condition_params,
                    limit,
                    offset,
                ],
            )
            rows = cursor.fetchall()
        total = rows[0][3] if rows else (0 if offset == 0 else None)
        return [(kind, pk, _score(title_group, s)) for kind, pk, s, _n in rows], total

    def count(self, *, title_group=None):
        expression = self._expression(title_group)
        with connection.cursor() as cursor:
            if self.restricted:
                cursor.execute(
                    f"{self._with()}SELECT count(*) {self._source()}",  # noqa: S608
                    [*self.cte_params, expression, *self.condition_params],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [expression]
                )
            return cursor.fetchone()[0]

    def _with(self):
        return f"WITH {', '.join(self.ctes)} " if self.ctes else ""

    def _source(self):
        # CROSS JOIN: the full-text index drives the join (SQLite would otherwise scan the
        # entries of a kind and probe the index once for each).
        return (
            "FROM search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid"
            f" WHERE search_fts MATCH %s AND ({self.conditions})"
        )


class _PostgresqlSearch(_GroupedPage):
    """A weighted tsvector: the title group is the entries matching a word with weight A."""

    def __init__(self, terms, kinds, within):
        self.matching = _tsquery(terms)
        self.title = _tsquery(terms, "A", "|")
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

    def _source(self, title_group):
        group = {
            None: "",
            True: " AND e.document @@ to_tsquery('simple', %s)",
            False: " AND NOT e.document @@ to_tsquery('simple', %s)",
        }[title_group]
        sql = (
            "FROM search_searchentry e WHERE e.document @@ to_tsquery('simple', %s)"
            f"{group} AND ({self.conditions})"
        )
        params = [self.matching, *([] if title_group is None else [self.title]), *self.params]
        return sql, params

    def top(self, *, title_group, limit, offset):
        source, params = self._source(title_group)
        score = "ts_rank('{0.1, 0.1, 0.4, 1.0}', e.document, to_tsquery('simple', %s))"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.kind, e.object_id, {score} AS score {source}"  # noqa: S608
                " ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
                [self.matching, *params, limit, offset],
            )
            return [(kind, pk, _score(title_group, s)) for kind, pk, s in cursor.fetchall()]

    def count(self, *, title_group=None):
        source, params = self._source(title_group)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {source}", params)  # noqa: S608
            return cursor.fetchone()[0]


def corrected_query(query: str) -> str | None:
    """The query with misspelt words replaced by the closest words of indexed titles, or None
    when no word needed correcting ("batrek" → "batrec")."""
    terms = query_words(query)
    changed, corrected = False, []
    for term in terms:
        if len(term) < 4 or SearchWord.objects.filter(word__startswith=term).exists():
            corrected.append(term)
            continue
        candidates = list(
            SearchWord.objects.filter(
                initial=term[0], length__gte=len(term) - 2, length__lte=len(term) + 2
            ).values_list("word", flat=True)
        )
        best = process.extractOne(term, candidates, scorer=fuzz.ratio, score_cutoff=70)
        if best is None:
            corrected.append(term)
        else:
            corrected.append(best[0])
            changed = True
    return " ".join(corrected) if changed else None


# Showing matches ---------------------------------------------------------------------------


def highlight(text: str, query: str, *, length: int = 180) -> str | None:
    """An HTML-safe excerpt of ``text`` around the query's words, each wrapped in <mark>; None when
    no word of the query occurs in the text."""
    terms = query_words(query)
    if not text or not terms:
        return None
    prefixes = tuple(terms)
    spans = [
        (match.start(), match.end())
        for match in _WORD.finditer(text)
        if normalize(match.group()).startswith(prefixes)
    ]
    if not spans:
        return None
    start = max(0, spans[0][0] - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix
