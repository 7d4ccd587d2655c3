"""Entries related to a text rather than matching a query: for matching a need's title and
description against every kind, and for the needs already posted that look like one being
typed, where no entry holds every word. The telling words of the text
(those that fewer than a share of the indexed entries hold) are searched together, any of them,
and the entries ranked by how rare the words they hold in their own title and body are (not
their synonyms nor attached files): the engine's bm25 over every entry holding any word would
read the positions of all their occurrences. The ranking index answers when it can (as it does
for search), the database's own index otherwise: PostgreSQL checks each holder's weighted
vector for the word's place, which at a hundred thousand entries took seconds."""

import math

from django.db import connection

from mercuryhub.search import ranking_index, ranking_search
from mercuryhub.search.engine import _KINDS, fts5_kinds, fts5_words, tsquery
from mercuryhub.search.models import SearchEntry
from mercuryhub.search.words import is_ideograph, words

MAX_TEXT_WORDS = 16  # the first distinct words of the text looked at
MAX_WORDS = 5  # the rarest of them searched
TITLE_READ = 3  # the titles read, for the title's share, of this many times the entries wanted


def telling_words(
    text: str, *, max_share: float, ignore=frozenset(), total: int | None = None, searcher=None
) -> list[tuple[str, int]]:
    """The words of the text (three letters or more, or an ideograph; not in ``ignore``) that
    at most ``max_share`` of the indexed entries hold in their title or body, rarest first, at most
    MAX_WORDS, each with that count; a word no entry holds tells nothing here. How many hold a
    word is counted on the word itself (one list of the index: cheap), while the search that
    follows also finds the words it begins ("separator" finds "separators"). ``searcher``: the
    ranking index's, which counts instead of the database."""
    candidates = [
        w
        for w in dict.fromkeys(words(text))
        if (len(w) >= 3 or is_ideograph(w)) and w not in ignore
    ]
    candidates = candidates[:MAX_TEXT_WORDS]
    if not candidates:
        return []
    total = SearchEntry.objects.count() if total is None else total
    cap = max(20, int(total * max_share))
    if searcher is not None:
        found = ranking_search.own_text_counts(searcher, candidates, prefix=False)
        unheld = [word for word in candidates if not found[word]]
        if unheld:
            found.update(ranking_search.own_text_counts(searcher, unheld, prefix=True))
    else:
        with connection.cursor() as cursor:
            found = _counts(cursor, candidates, cap, prefix=False)
            # Only for a word no entry holds, the words it begins.
            unheld = [word for word in candidates if not found[word]]
            if unheld:
                found.update(_counts(cursor, unheld, cap, prefix=True))
    counted = sorted((n, word) for word, n in found.items() if 0 < n <= cap)
    return [(word, n) for n, word in counted[:MAX_WORDS]]


def _counts(cursor, candidates: list[str], cap: int, *, prefix: bool) -> dict[str, int]:
    """How many entries hold each word in their title or body, counted up to cap + 1, in one
    statement."""
    star = "*" if prefix else ""
    if connection.vendor == "sqlite":
        one = "(SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s))"
        params = [p for word in candidates for p in (f'{{title body}}: "{word}"{star}', cap + 1)]
    else:
        one = (
            "(SELECT count(*) FROM (SELECT 1 FROM search_searchentry"
            " WHERE document @@ to_tsquery('simple', %s) LIMIT %s) found)"
        )
        params = [p for word in candidates for p in (f"{word}:{star}AC", cap + 1)]
    cursor.execute(f"SELECT {', '.join([one] * len(candidates))}", params)  # noqa: S608
    return dict(zip(candidates, cursor.fetchone(), strict=True))


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
    ``limit``; and the words searched. The ranking index or the database finds the holders of
    each word and sums the rarity of the words each entry holds (the holders of a common word
    are thousands); the title's share is added in Python to the best few times ``limit`` of
    them, whose titles it reads."""
    searcher = ranking_index.searcher()
    total = SearchEntry.objects.count() if searcher is None else searcher.num_docs
    chosen = telling_words(text, max_share=max_share, ignore=ignore, total=total, searcher=searcher)
    searched = [word for word, _count in chosen]
    if not chosen or not kinds:
        return {}, searched
    rarity = {word: math.log(1 + total / count) for word, count in chosen}
    if searcher is not None:
        rows = _indexed_holders(searcher, searched, rarity, kinds, limit * TITLE_READ)
    else:
        rows = _database_holders(searched, rarity, kinds, limit * TITLE_READ)
    scored = []
    for entry, kind, object_id, title, score in rows:
        score = float(score)
        in_title = set(words(title))
        score += sum(rarity[word] for word in searched if any(w.startswith(word) for w in in_title))
        scored.append((-score, entry, kind, object_id))
    best = sorted(scored)[:limit]
    if not best:
        return {}, searched
    top = -best[0][0]
    return {(kind, object_id): -score / top for score, _e, kind, object_id in best}, searched


def _indexed_holders(searcher, searched, rarity, kinds, wanted) -> list[tuple]:
    """The ``wanted`` entries of the kinds with the most rarity summed over the words they hold,
    found in the ranking index: (entry, kind, object_id, title, score) each."""
    scores: dict[int, float] = {}
    for word in searched:
        for entry in ranking_search.own_text_holders(searcher, word, kinds, indexed=_KINDS):
            scores[entry] = scores.get(entry, 0.0) + rarity[word]
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:wanted]
    found = SearchEntry.objects.in_bulk([entry for entry, _score in best])
    return [
        (entry, found[entry].kind, found[entry].object_id, found[entry].title, score)
        for entry, score in best
        if entry in found
    ]


def _database_holders(searched, rarity, kinds, wanted) -> list[tuple]:
    """The same as ``_indexed_holders``, found by the database's own index: it sums the rarity
    of the words each entry holds (the holders of a common word are thousands)."""
    parts, params = [], []
    for word in searched:
        sql, holder_params = _holders(word, kinds)
        parts.append(  # a float on every engine (PostgreSQL would sum a numeric)
            f"SELECT entry, CAST(%s AS DOUBLE PRECISION) AS points FROM ({sql}) holders"  # noqa: S608
        )
        params.extend([rarity[word], *holder_params])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.entry, e.kind, e.object_id, e.title, s.score FROM (SELECT entry,"  # noqa: S608
            f" sum(points) AS score FROM ({' UNION ALL '.join(parts)}) scored GROUP BY entry"
            " ORDER BY score DESC, entry LIMIT %s) s JOIN search_searchentry e ON e.id = s.entry",
            [*params, wanted],
        )
        return cursor.fetchall()


def _holders(word: str, kinds: list[str]) -> tuple[str, list]:
    """The query of the index entries of the kinds holding the word (or words it begins) in
    their title or body, as ``entry``, and its parameters."""
    if connection.vendor == "sqlite":
        return (
            "SELECT rowid AS entry FROM search_fts WHERE search_fts MATCH %s",
            [f"{{title body}}: ({fts5_words([word], 'AND')}){fts5_kinds(kinds)}"],
        )
    return (
        "SELECT id AS entry FROM search_searchentry"
        " WHERE document @@ to_tsquery('simple', %s) AND kind = ANY(%s)",
        [tsquery([word], "AC"), list(kinds)],
    )
