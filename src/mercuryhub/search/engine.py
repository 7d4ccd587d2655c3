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

from django.db import connection
from rapidfuzz import fuzz, process

from mercuryhub.search.models import SearchEntry, SearchWord

_WORD = re.compile(r"\w+", re.UNICODE)
TITLE_WEIGHT, SYNONYM_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
_MAX_WORDS = 12


def normalize(text: str) -> str:
    """Case- and accent-folded text: "Montréal" and "MONTREAL" both become "montreal"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def query_words(query: str) -> list[str]:
    """The words of a query, without duplicates, at most twelve."""
    return list(dict.fromkeys(words(query)))[:_MAX_WORDS]


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
                "INSERT INTO search_fts (rowid, title, synonyms, body) VALUES (%s, %s, %s, %s)",
                [(entry.pk, entry.title, entry.synonyms, entry.body) for entry in entries],
            )
        elif connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE search_searchentry SET document ="
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'C')"
                " WHERE id = %s",
                [
                    (normalize(e.title), normalize(e.synonyms), normalize(e.body), e.pk)
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


def _fts5_expression(terms: list[str]) -> str:
    return " AND ".join(f'"{term}"*' for term in terms)


def _tsquery(terms: list[str]) -> str:
    return " & ".join(f"{term}:*" for term in terms)


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
            [_fts5_expression(terms), kind],
        )
    return (
        "SELECT object_id FROM search_searchentry"
        " WHERE document @@ to_tsquery('simple', %s) AND kind = %s",
        [_tsquery(terms), kind],
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

    ``within`` restricts a kind to the ids a SQL query selects (the visible, filtered records),
    so that ranking, counting and permissions agree.
    """
    terms = query_words(query)
    if not terms or not kinds:
        return [], 0
    if connection.vendor == "sqlite":
        return _ranked_sqlite(terms, kinds, within or {}, limit, offset)
    return _ranked_postgresql(terms, kinds, within or {}, limit, offset)


def _ranked_sqlite(terms, kinds, within, limit, offset):
    """One statement ranks and counts: the full-text index drives the join (CROSS JOIN keeps
    SQLite from probing the index once per entry), each restriction is checked per match by a
    correlated EXISTS (a primary-key lookup) rather than materialized whole for every query, and
    a window function counts the matches while they are sorted."""
    ctes, cte_params, conditions, condition_params = [], [], [], []
    for position, kind in enumerate(kinds):
        restriction = within.get(kind)
        condition_params.append(kind)
        if restriction is None:
            conditions.append("e.kind = %s")
            continue
        sql, restriction_params = restriction
        ctes.append(f"within_{position}(object_id) AS ({sql})")
        cte_params.extend(restriction_params)
        conditions.append(
            f"(e.kind = %s AND EXISTS (SELECT 1 FROM within_{position} w"  # noqa: S608 - fixed SQL
            " WHERE w.object_id = e.object_id))"
        )
    prefix = f"WITH {', '.join(ctes)} " if ctes else ""
    source = (
        "FROM search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid"
        f" WHERE search_fts MATCH %s AND ({' OR '.join(conditions)})"
    )
    params = [*cte_params, _fts5_expression(terms), *condition_params]
    score = f"-bm25(search_fts, {TITLE_WEIGHT}, {SYNONYM_WEIGHT}, {BODY_WEIGHT})"
    with connection.cursor() as cursor:
        # LIMIT -1 keeps the inner query a co-routine, where bm25() may be called.
        cursor.execute(
            f"{prefix}SELECT kind, object_id, score, count(*) OVER ()"  # noqa: S608 - fixed SQL
            " FROM (SELECT e.kind AS kind, e.object_id AS object_id, e.id AS id,"
            f" {score} AS score {source} LIMIT -1)"
            " ORDER BY score DESC, id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            total = rows[0][3]
        elif offset == 0:
            total = 0
        else:  # a page past the last match: count them
            cursor.execute(f"{prefix}SELECT count(*) {source}", params)  # noqa: S608 - fixed SQL
            total = cursor.fetchone()[0]
    return [(kind, object_id, float(s)) for kind, object_id, s, _total in rows], total


def _ranked_postgresql(terms, kinds, within, limit, offset):
    conditions, params = [], []
    for kind in kinds:
        restriction = within.get(kind)
        if restriction is None:
            conditions.append("e.kind = %s")
            params.append(kind)
        else:
            sql, restriction_params = restriction
            conditions.append(f"(e.kind = %s AND e.object_id IN ({sql}))")
            params.extend([kind, *restriction_params])
    source = (
        "FROM search_searchentry e"
        f" WHERE e.document @@ to_tsquery('simple', %s) AND ({' OR '.join(conditions)})"
    )
    score = "ts_rank('{0.1, 0.1, 0.4, 1.0}', e.document, to_tsquery('simple', %s))"
    match_params = [_tsquery(terms), *params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}", match_params)  # noqa: S608 - fixed SQL
        total = cursor.fetchone()[0]
        if total == 0:
            return [], 0
        cursor.execute(
            f"SELECT e.kind, e.object_id, {score} AS score {source}"  # noqa: S608 - fixed SQL
            " ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
            [_tsquery(terms), *match_params, limit, offset],
        )
        return [(kind, object_id, float(s)) for kind, object_id, s in cursor.fetchall()], total


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
    spans = [
        (match.start(), match.end())
        for match in _WORD.finditer(text)
        if any(normalize(match.group()).startswith(term) for term in terms)
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
