"""Entries related to a text rather than matching a query: for matching a need's title and
description against every kind, where no entry holds every word. The telling words of the text
(those that fewer than a share of the indexed entries hold) are searched together, any of them,
and the entries ranked by the engine's score over the records' own title and body (not their
synonyms nor attached files)."""

from django.db import connection

from mercuryhub.search.engine import (
    BODY_WEIGHT,
    SYNONYM_WEIGHT,
    TITLE_WEIGHT,
    fts5_kinds,
    fts5_words,
    tsquery,
    words,
)
from mercuryhub.search.models import SearchEntry

MAX_TEXT_WORDS = 24  # the first distinct words of the text looked at
MAX_WORDS = 6  # the rarest of them searched


def telling_words(text: str, *, max_share: float, ignore=frozenset()) -> list[str]:
    """The words of the text (three letters or more, not in ``ignore``) that at most
    ``max_share`` of the indexed entries hold in their title or body, rarest first, at most
    MAX_WORDS; a word no entry holds tells nothing here."""
    candidates = [w for w in dict.fromkeys(words(text)) if len(w) >= 3 and w not in ignore]
    candidates = candidates[:MAX_TEXT_WORDS]
    if not candidates:
        return []
    cap = max(20, int(SearchEntry.objects.count() * max_share))
    counted = []
    with connection.cursor() as cursor:
        for word in candidates:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s"
                    " LIMIT %s)",
                    [f"{{title body}}: ({fts5_words([word], 'AND')})", cap + 1],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM search_searchentry"
                    " WHERE document @@ to_tsquery('simple', %s) LIMIT %s) found",
                    [tsquery([word], "AC"), cap + 1],
                )
            found = cursor.fetchone()[0]
            if 0 < found <= cap:
                counted.append((found, word))
    return [word for _found, word in sorted(counted)[:MAX_WORDS]]


def related(
    text: str,
    kinds: list[str],
    *,
    limit: int = 200,
    max_share: float = 0.02,
    ignore=frozenset(),
) -> tuple[dict[tuple[str, int], float], list[str]]:
    """The entries of the kinds whose title or body holds any telling word of the text (their
    synonyms, the words of their tags, are left to the caller's comparison of tags), with their
    scores scaled to (0, 1] (1 for the best), at most ``limit``; and the words searched."""
    chosen = telling_words(text, max_share=max_share, ignore=ignore)
    if not chosen or not kinds:
        return {}, chosen
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT e.kind, e.object_id,"  # noqa: S608 - fixed weights
                f" -bm25(search_fts, {TITLE_WEIGHT}, {SYNONYM_WEIGHT}, {BODY_WEIGHT}, 0) AS score"
                " FROM search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid"
                " WHERE search_fts MATCH %s ORDER BY score DESC, e.id LIMIT %s",
                [
                    f"{{title body}}: ({fts5_words(chosen, 'OR')}){fts5_kinds(kinds)}",
                    limit,
                ],
            )
        else:
            cursor.execute(
                "SELECT kind, object_id, ts_rank('{0, 0.1, 0, 1.0}', document, q) AS score"
                " FROM search_searchentry, to_tsquery('simple', %s) q"
                " WHERE document @@ q AND kind = ANY(%s) ORDER BY score DESC, id LIMIT %s",
                [tsquery(chosen, "AC", "|"), list(kinds), limit],
            )
        rows = cursor.fetchall()
    best = max((score for _kind, _id, score in rows), default=0) or 1.0
    return {(kind, pk): max(score, 0) / best for kind, pk, score in rows}, chosen
