"""PostgreSQL's weighted vectors of the search entries (search/engine.py writes the entries)."""

from django.db import connection

from mercuryhub.search.models import SearchEntry
from mercuryhub.search.words import normalize, segmented

# Weight B is the tags' alone (PostgreSQL's parser drops their tokens' mark): words of a query
# are looked for in A, C and D.
_VECTOR = (
    "setweight(to_tsvector('simple', new.indexed_title), 'A')"
    " || setweight(to_tsvector('simple', new.tags), 'B')"
    " || setweight(to_tsvector('simple', new.indexed_body), 'C')"
    " || setweight(to_tsvector('simple', new.indexed_attachment), 'D')"
)
_ENTRIES = (
    "unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[],"
    " %s::text[], %s::text[], %s::text[], %s::text[]) AS new (id, kind, object_id, title, tags,"
    " body, attachment, indexed_title, indexed_body, indexed_attachment)"
)


_INSERT_WITH_VECTORS = (
    "INSERT INTO search_searchentry (id, kind, object_id, title, tags, body, attachment, document)"  # noqa: S608 - fixed text
    f" SELECT new.id, new.kind, new.object_id, new.title, new.tags, new.body, new.attachment,"
    f" {_VECTOR} FROM {_ENTRIES}"
)
# bulk_update has written the text of replaced entries; only the vector is left.
_UPDATE_VECTORS = (
    f"UPDATE search_searchentry AS entry SET document = {_VECTOR} FROM {_ENTRIES}"  # noqa: S608 - fixed text
    " WHERE entry.id = new.id"
)


def write_vectors(entries: list[SearchEntry], *, new: bool) -> None:
    """PostgreSQL: insert the new entries (their keys reserved) with their weighted vector, or
    set the vector of replaced ones; 200 entries a statement (texts are long)."""
    sql = _INSERT_WITH_VECTORS if new else _UPDATE_VECTORS
    with connection.cursor() as cursor:
        for start in range(0, len(entries), 200):
            chunk = entries[start : start + 200]
            cursor.execute(
                sql,
                [
                    [e.pk for e in chunk],
                    [e.kind for e in chunk],
                    [e.object_id for e in chunk],
                    [e.title for e in chunk],
                    [e.tags for e in chunk],
                    [e.body for e in chunk],
                    [e.attachment for e in chunk],
                    [normalize(segmented(e.title)) for e in chunk],
                    [normalize(segmented(e.body)) for e in chunk],
                    [normalize(segmented(e.attachment)) for e in chunk],
                ],
            )
