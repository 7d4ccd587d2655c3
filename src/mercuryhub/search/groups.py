"""The groups every engine's ranking shares, and a page taken from them in turn.

Ranking sorts the matches into groups, as search engines with "attribute" ranking rules do:
first the entries whose title holds a word of the query, then the others whose own text holds
every word, last (on SQLite) those found only thanks to the text of an attached file; within a
group, by the weighted score of the engine (title above tags above body). A page usually
comes from the first group alone, so the engine scores a few thousand matches, not every one of
a broad query's: on 120,000 entries "mercury" matches 97% of them, and scoring them all took
longer than a search may take (docs/performance.md).

The score returned is the group's base plus the engine's score mapped into [0, 1) and scaled:
above 1 for the title group, from 0.5 to 1 for the other matches of a record's own text, below
0.5 for the matches of attached text; decreasing down the list.
"""

from django.db import connection

TITLE_WEIGHT, TAG_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
TITLE, RECORD, ATTACHMENT = "title", "record", "attachment"
_GROUP_SCORES = {TITLE: (1.0, 1.0), RECORD: (0.5, 0.5), ATTACHMENT: (0.0, 0.5)}


def score(group: str, engine_score: float) -> float:
    base, scale = _GROUP_SCORES[group]
    engine_score = max(engine_score, 0.0)
    return base + scale * engine_score / (1.0 + engine_score)


def results(group: str, scored: list[tuple[int, float]]) -> list[tuple[str, int, float]]:
    """An engine's matches (index entry id, engine score), best first, as (kind, object_id,
    score) in the group; entries no longer in the database left out."""
    if not scored:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id FROM search_searchentry"  # noqa: S608
            f" WHERE id IN ({', '.join(['%s'] * len(scored))})",
            [pk for pk, _score in scored],
        )
        keys = {pk: (kind, object_id) for pk, kind, object_id in cursor.fetchall()}
    return [(*keys[pk], score(group, value)) for pk, value in scored if pk in keys]


class GroupedPage:
    """A page taken from the groups in turn: the engine scores only the groups the page reaches,
    and counts the matches of the groups after the page's end at most once more each."""

    groups: tuple[str, ...]

    def page(self, limit, offset):
        rows, before = [], 0  # before: the matches of the groups already passed
        for index, group in enumerate(self.groups):
            if len(rows) == limit:
                return rows, before + self.count_from(index)
            found, size = self.top_counted(
                group, limit=limit - len(rows), offset=max(0, offset - before)
            )
            rows += found
            if size is None:
                return rows, before + self.count_from(index)
            before += size
        return rows, before

    def top_counted(self, group, *, limit, offset):
        """A group's page and how many matches the group holds (None when the page fills up
        before the group's end: it is counted with the groups after it)."""
        rows = self.top(group, limit=limit, offset=offset)
        if len(rows) < limit and (rows or offset == 0):
            return rows, offset + len(rows)
        return rows, None if rows else self.count(group)

    def count_from(self, index):
        """How many matches the groups from ``index`` on hold."""
        return sum(self.count(group) for group in self.groups[index:])
