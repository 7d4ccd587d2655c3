"""Records like a text being written: those sharing the most of its words (any of them, where
``engine`` finds records holding every word of a query), best first. Used to show the needs
already posted that look like one being typed."""

from django.db import connection

from mercuryhub.search.engine import _IDEOGRAPH, _MAX_WORDS, fts5_words, tsquery, words

# The words ``similar`` looks for: long enough to say something (any ideograph does).
_MIN_LENGTH = 4


def similar(text: str, kind: str, *, limit: int) -> list[int]:
    """The ids of the records of ``kind`` that share the most words with a text (any of its
    words, not every one: a title and a description being typed), best first; none when the
    text has no word worth looking for. Attached texts are left out."""
    terms = [
        term
        for term in dict.fromkeys(words(text))
        if len(term) >= _MIN_LENGTH or _IDEOGRAPH.fullmatch(term)
    ][:_MAX_WORDS]
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT e.object_id FROM search_fts f CROSS JOIN search_searchentry e"
                " ON e.id = f.rowid WHERE search_fts MATCH %s AND e.kind = %s"
                " ORDER BY f.rank LIMIT %s",
                [f"{{title synonyms body}}: ({fts5_words(terms, 'OR')})", kind, limit],
            )
        else:
            query = tsquery(terms, operator="|")
            cursor.execute(
                "SELECT object_id FROM search_searchentry"
                " WHERE document @@ to_tsquery('simple', %s) AND kind = %s"
                " ORDER BY ts_rank(document, to_tsquery('simple', %s)) DESC, object_id"
                " LIMIT %s",
                [query, kind, query, limit],
            )
        return [row[0] for row in cursor.fetchall()]
