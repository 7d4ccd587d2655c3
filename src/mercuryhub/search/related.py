"""Entries related to a text rather than matching a query: for matching a need's title and
description against every kind, and for the needs already posted that look like one being
typed, where no entry holds every word. The telling words of the text
(those that fewer than a share of the indexed entries hold) are searched together, any of them,
and the entries ranked by how rare the words they hold in their own title and body are (not
their synonyms nor attached files): the engine's bm25 over every entry holding any word would
read the positions of all their occurrences."""

import math

from django.db import connection

from mercuryhub.search.engine import _IDEOGRAPH, fts5_kinds, fts5_words, tsquery, words
from mercuryhub.search.models import SearchEntry

MAX_TEXT_WORDS = 16  # the first distinct words of the text looked at
MAX_WORDS = 5  # the rarest of them searched


def telling_words(
    text: str, *, max_share: float, ignore=frozenset(), total: int | None = None
) -> list[tuple[str, int]]:
    """The words of the text (three letters or more, or an ideograph; not in ``ignore``) that
    at most ``max_share`` of the indexed entries hold in their title or body, rarest first, at most
    MAX_WORDS, each with that count; a word no entry holds tells nothing here. How many hold a
    word is counted on the word itself (one list of the index: cheap), while the search that
    follows also finds the words it begins ("separator" finds "separators")."""
    candidates = [
        w
        for w in dict.fromkeys(words(text))
        if (len(w) >= 3 or _IDEOGRAPH.fullmatch(w)) and w not in ignore
    ]
    candidates = candidates[:MAX_TEXT_WORDS]
    if not candidates:
        return []
    total = SearchEntry.objects.count() if total is None else total
    cap = max(20, int(total * max_share))
    counted = []
    with connection.cursor() as cursor:
        for word in candidates:
            # The word itself; only when no entry holds it, the words it begins.
            found = _count(cursor, word, cap, prefix=False) or _count(
                cursor, word, cap, prefix=True
            )
            if 0 < found <= cap:
                counted.append((found, word))
    return [(word, found) for found, word in sorted(counted)[:MAX_WORDS]]


def _count(cursor, word: str, cap: int, *, prefix: bool) -> int:
    """How many entries hold the word in their title or body, counted up to cap + 1."""
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
            [f'{{title body}}: "{word}"{"*" if prefix else ""}', cap + 1],
        )
    else:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_searchentry"
            " WHERE document @@ to_tsquery('simple', %s) LIMIT %s) found",
            [f"{word}:{'*' if prefix else ''}AC", cap + 1],
        )
    return cursor.fetchone()[0]


def related(
    text: str,
    kinds: list[str],
    *,
    limit: int = 200,
    max_share: float = 0.01,
    ignore=frozenset(),
) -> tuple[dict[tuple[str, int], float], list[str]]:
    """The entries of the kinds whose title or body holds telling words of the text (their
    synonyms, the words of their tags, are left to the caller's comparison of tags), scored by
    the rarity of the words they hold (each word's inverse document frequency, twice over in the
    title), scaled to (0, 1] (1 for the best), best first (equal scores by index entry), at most
    ``limit``; and the words searched."""
    total = SearchEntry.objects.count()
    chosen = telling_words(text, max_share=max_share, ignore=ignore, total=total)
    if not chosen or not kinds:
        return {}, [word for word, _count in chosen]
    words_searched = [word for word, _count in chosen]
    parts, params = [], []
    for word, count in chosen:
        rarity = math.log(1 + total / count)
        # Twice over in the title: once as a word of the title or body, once of the title.
        for columns in ("title body", "title"):
            sql, holder_params = _holders(word, columns, kinds)
            parts.append(f"SELECT entry, %s AS points FROM ({sql}) holders")  # noqa: S608
            params.extend([rarity, *holder_params])
    with connection.cursor() as cursor:
        # Summed by the database: the holders of a common word are thousands.
        cursor.execute(
            "SELECT e.kind, e.object_id, s.score FROM (SELECT entry, sum(points) AS score"  # noqa: S608
            f" FROM ({' UNION ALL '.join(parts)}) scored GROUP BY entry"
            " ORDER BY score DESC, entry LIMIT %s) s"
            " JOIN search_searchentry e ON e.id = s.entry ORDER BY s.score DESC, s.entry",
            [*params, limit],
        )
        best = cursor.fetchall()
    if not best:
        return {}, words_searched
    top = best[0][2]
    return {(kind, object_id): score / top for kind, object_id, score in best}, words_searched


def _holders(word: str, columns: str, kinds: list[str]) -> tuple[str, list]:
    """The query of the index entries of the kinds holding the word (or words it begins) in
    the columns, as ``entry``, and its parameters."""
    if connection.vendor == "sqlite":
        return (
            "SELECT rowid AS entry FROM search_fts WHERE search_fts MATCH %s",
            [f"{{{columns}}}: ({fts5_words([word], 'AND')}){fts5_kinds(kinds)}"],
        )
    weights = "AC" if columns == "title body" else "A"
    return (
        "SELECT id AS entry FROM search_searchentry"
        " WHERE document @@ to_tsquery('simple', %s) AND kind = ANY(%s)",
        [tsquery([word], weights), list(kinds)],
    )
