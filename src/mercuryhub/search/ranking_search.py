"""Searching the ranking index (search/ranking_index.py keeps its files up to date): the same
groups as the database's own full-text index finds, ranked by tantivy's BM25 with the same
weights, and the filter panel's counts in one pass over the matches' facet values."""

import re
from functools import cached_property

import tantivy
from django.db import connection

from mercuryhub.search import tags
from mercuryhub.search.groups import (
    ATTACHMENT,
    BODY_WEIGHT,
    RECORD,
    TAG_WEIGHT,
    TITLE,
    TITLE_WEIGHT,
    GroupedPage,
    results,
)
from mercuryhub.search.kept import Matched, Ranked, matched_count, ranked
from mercuryhub.search.ranking_index import EVERY_WORD, FIELDS, RECORD_FIELDS, SCHEMA, TAGS

# Distinct facet values an index holds at most (terms, countries, languages, statuses): the
# counts of an aggregation are exact below it.
_FACET_VALUES = 100_000


# A restricted search ranks in the ranking index when its kinds' restrictions select at most
# this many entries (read from the database); beyond, the database checks each match instead.
_RESTRICTED_ENTRIES = 100_000


def entries_within(kinds, within) -> tuple[list[str], list[int]] | None:
    """The kinds searched whole and the index entries the restrictions of the others select,
    or None when there are too many of them."""
    whole, ids = [], []
    with connection.cursor() as cursor:
        for kind in kinds:
            if kind not in within:
                whole.append(kind)
                continue
            sql, params = within[kind]
            cursor.execute(
                "SELECT id FROM search_searchentry"  # noqa: S608 - the restriction's own SQL
                f" WHERE kind = %s AND object_id IN ({sql}) LIMIT %s",
                [kind, *params, _RESTRICTED_ENTRIES - len(ids) + 1],
            )
            ids += [pk for (pk,) in cursor.fetchall()]
            if len(ids) > _RESTRICTED_ENTRIES:
                return None
    return whole, ids


class Search(GroupedPage):
    """The ranking index (search/ranking_index.py): the same groups as the database's own
    full-text index finds, ranked by tantivy's BM25 with the same weights. A word of the query
    matches the words it begins in the index's dictionary; those words score, so "lamp" ranks
    a title "Lamps" as "lamp" would. It also matches the tags it finds (search/tags.py): a term
    holding the word scores with the tags' weight, a broader term with the body's."""

    groups = (TITLE, RECORD, ATTACHMENT)
    WEIGHTS = {"title": TITLE_WEIGHT, "body": BODY_WEIGHT}
    _EXPANSIONS = 50  # words scored per word of the query and field; beyond them, matched only

    def __init__(self, searcher, terms, kinds, allowed=None, *, indexed, found=None):
        self.searcher = searcher
        self.terms, self.kinds, self.allowed, self.indexed = terms, kinds, allowed, indexed
        self.scored = {term: tags.scored_tokens(term) for term in terms}
        # What a search of every entry of its kinds found is kept (``found``, the index's at
        # its state): the words, the tags they find and the kinds are the whole question. A
        # restricted search's entries come from the database at each search.
        self.found = found if allowed is None else None
        self.question = (
            tuple((term, tuple(self.scored[term])) for term in terms),
            tuple(sorted(set(kinds))),
        )

    def kept(self, what: tuple, compute):
        """``compute()``, or what it gave when this question was asked before at the index's
        present state."""
        if self.found is None:
            return compute()
        return self.found.get((*what, self.question), compute)

    @property
    def queries(self) -> dict:
        return self._queries[0]

    @property
    def every_match(self):
        return self._queries[1]

    @cached_property
    def _queries(self):
        """The query of each group, and the query of every match (made only when the index is
        asked: a question asked before is answered from what was kept)."""
        terms, kinds, allowed, indexed = self.terms, self.kinds, self.allowed, self.indexed
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
        schema = SCHEMA
        record = Q.boolean_query([(Occur.Must, self._in_text(t)) for t in terms])
        title = Q.const_score_query(
            Q.boolean_query([(Occur.Should, self._in_field(t, "title")) for t in terms]), 0.0
        )
        attached = Q.boolean_query(
            [(Occur.Must, self._in_text(t, FIELDS)) for t in terms] + [(Occur.MustNot, record)]
        )
        kind = self._kinds(schema, kinds, indexed)
        if allowed is not None:  # the kinds searched whole, and the entries of the others
            whole, ids = allowed
            within = [(Occur.Should, Q.term_set_query(schema, "entry", ids))]
            if whole:
                within.append((Occur.Should, Q.term_set_query(schema, "kind", whole)))
            clause = (Occur.Must, Q.const_score_query(Q.boolean_query(within), 0.0))
            kind = [kind, clause] if kind else [clause]
        else:
            kind = [kind] if kind else []
        queries = {
            TITLE: [record, title],
            RECORD: [record, (Occur.MustNot, title)],
            ATTACHMENT: [attached],
        }
        queries = {
            group: Q.boolean_query(
                [c if isinstance(c, tuple) else (Occur.Must, c) for c in clauses] + kind
            )
            for group, clauses in queries.items()
        }
        # Every match, for counting: the record's own matches and the attached text's (which
        # are apart) are those with every word in any text, that is in EVERY_WORD, or in the
        # tags. One pass over each word's entries, scoring none.
        every_match = Q.const_score_query(
            Q.boolean_query([(Occur.Must, self._anywhere(t)) for t in terms] + kind), 0.0
        )
        return queries, every_match

    def _in_field(self, term, field):
        """The entries with a word beginning with ``term`` in ``field``, scored."""
        if (term, field) not in self._words:
            self._words[term, field] = self._word(SCHEMA, term, field)
        return self._words[term, field]

    def _in_text(self, term, fields=RECORD_FIELDS):
        """The entries with a word beginning with ``term`` in one of ``fields`` or a tag it
        finds, scored (the tags a term holding the word finds with the tags' weight, a broader
        term's as a word of the body)."""
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
        either = [(Occur.Should, self._in_field(term, field)) for field in fields]
        either += [
            (
                Occur.Should,
                Q.boost_query(
                    Q.term_query(SCHEMA, TAGS, token), TAG_WEIGHT if own else BODY_WEIGHT
                ),
            )
            for token, own in self.scored[term]
        ]
        return Q.boolean_query(either)

    @cached_property
    def _words(self) -> dict:
        return {}

    def _scored_words(self, term) -> tuple:
        """The index's words each field scores for ``term`` (whichever their order), and
        whether rarer ones match unscored."""
        return tuple(
            (
                frozenset(word for word, _count in self._prefixed(term, field)[: self._EXPANSIONS]),
                len(self._prefixed(term, field)) > self._EXPANSIONS,
            )
            for field in RECORD_FIELDS
        )

    def _prefixed(self, term, field) -> list:
        """The index's words of ``field`` beginning with ``term``, with their counts, most
        frequent first."""
        if (term, field) not in self._prefixes:
            self._prefixes[term, field] = self.searcher.terms_with_prefix(field, term)
        return self._prefixes[term, field]

    @cached_property
    def _prefixes(self) -> dict:
        return {}

    def word(self, term) -> tuple:
        """What names the entries a word of the query matches (search/kept.py): the
        word and the tags it finds."""
        return ("word", term, tuple(self.scored[term]))

    def _anywhere(self, term):
        """The entries with a word beginning with ``term`` in any text, or a tag it finds,
        scoring nothing."""
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
        either = [(Occur.Should, self._word(SCHEMA, term, EVERY_WORD))]
        tokens = [token for token, _own in self.scored[term]]
        if tokens:
            either.append((Occur.Should, Q.term_set_query(SCHEMA, TAGS, tokens)))
        return Q.const_score_query(Q.boolean_query(either), 0.0)

    def _word(self, schema, term, field):
        """The words of the field that begin with ``term``, each scored with the field's
        weight (the attached text scores nothing, as in the database's index)."""
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
        found = self._prefixed(term, field)
        weight = self.WEIGHTS.get(field)
        scored = [Q.term_query(schema, field, word) for word, _count in found[: self._EXPANSIONS]]
        if weight is not None:
            scored = [Q.boost_query(query, weight) for query in scored]
        if len(found) > self._EXPANSIONS:  # the rarer words match without a score of their own
            regex = Q.regex_query(schema, field, f"{term}.*")
            scored.append(Q.const_score_query(regex, 0.0))
        if not scored:
            return Q.empty_query()
        either = Q.boolean_query([(Occur.Should, query) for query in scored])
        return either if weight is not None else Q.const_score_query(either, 0.0)

    @staticmethod
    def _kinds(schema, kinds, indexed):
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
        if set(kinds) >= indexed:
            return None
        others = sorted(indexed - set(kinds))
        if len(others) < len(set(kinds)):
            return (Occur.MustNot, Q.term_set_query(schema, "kind", others))
        # Scoring nothing: an entry's score is its words' alone, whichever kinds are searched.
        kinds = Q.const_score_query(Q.term_set_query(schema, "kind", sorted(set(kinds))), 0.0)
        return (Occur.Must, kinds)

    def top(self, group, *, limit, offset):
        if limit <= 0:
            return []
        found = self.kept(("top", group, limit, offset), lambda: self._top(group, limit, offset))
        return results(group, found)

    def _top(self, group, limit, offset) -> list[tuple[int, float]]:
        """The group's entries from ``offset`` on, at most ``limit``: (entry id, score)."""
        ranked = self._ranked(group, offset + limit)
        if ranked is not None:
            return ranked[1][offset:]
        if group == ATTACHMENT:  # newest first, as in the database's index
            found = self.searcher.search(
                self.queries[group], limit, count=False, order_by_field="entry", offset=offset
            ).hits
            scores = [0.0] * len(found)
        else:
            found = self.searcher.search(
                self.queries[group], limit, count=False, offset=offset
            ).hits
            scores = [value for value, _address in found]
        if not found:
            return []
        ids = self.searcher.fast_field_values("entry", [address for _key, address in found])
        return list(zip(ids, scores, strict=True))

    def count(self, group):
        return self.kept(("count", group), lambda: self._count(group))

    def _count(self, group) -> int:
        ranked = self._ranked(group, 0)
        if ranked is not None:
            return ranked[0]
        return self.searcher.search(self.queries[group], 1, count=True).count

    def _ranked(self, group, most) -> tuple[int, list[tuple[int, float]]] | None:
        """How many entries the title or record group holds and its ``most`` best, ranked
        off what the worker keeps of the search's words (search/kept.py, ``Ranked``): the
        same entries and scores as the index gives, without scoring each match. None where
        the index ranks the group: the attached text's, a restricted search, words not asked
        before or held by few entries. Once a search is answered one way at the index's
        state, its other pages are too, so that entries of equal scores keep one order."""
        if group == ATTACHMENT:
            return None
        kept = self._kept_words
        if not self.kept(("ranked off its words",), lambda: kept is not None):
            return None
        if kept is None:  # so answered before at this state, and a word forgotten since
            kept = self._words_kept(force=True)
            if kept is None:
                return None
        words, kinds = kept
        return ranked(words, kinds, in_title=group == TITLE, most=most)

    @cached_property
    def _kept_words(self) -> tuple[list[Ranked], Matched | None] | None:
        return self._words_kept(force=False)

    def _words_kept(self, *, force) -> tuple[list[Ranked], Matched | None] | None:
        """What the worker keeps of each word for ranking, and of the kinds searched (None:
        every kind), or None where something is not kept. Each is asked, so that each word is
        known as asked; ``force``: read now what was not asked before."""
        matches = self.found.matches if self.found is not None else None
        if matches is None:
            return None
        words = [
            matches.get(
                ("ranked", term, tuple(self.scored[term])),
                self.searcher,
                lambda t=term: (
                    self._in_text(t),
                    self._in_field(t, "title"),
                    self._scored_words(t),
                ),
                Ranked,
                force=force,
            )
            for term in self.terms
        ]
        kinds = sorted(set(self.kinds))
        held = None
        if not set(kinds) >= self.indexed:
            held = matches.get(
                ("kinds", *kinds),
                self.searcher,
                lambda: tantivy.Query.term_set_query(SCHEMA, "kind", kinds),
                force=force,
            )
            if held is None or held.bits is None:
                return None
        if any(word is None or word.codes is None for word in words):
            return None
        return words, held

    def count_from(self, index):
        if index == 0:  # every group in one count
            return self.kept(("every match",), self._count_every_match)
        return super().count_from(index)

    def _count_every_match(self) -> int:
        """How many entries match: read off the entries each word matches, and those of the
        kinds, where the process keeps them (search/kept.py: words asked before at this
        state); else, or when a word matches few entries, by going through the matches."""
        matches = self.found.matches if self.found is not None else None
        if matches is not None:
            kinds = sorted(set(self.kinds))
            asked = [(self.word(term), lambda t=term: self._anywhere(t)) for term in self.terms]
            if not set(kinds) >= self.indexed:
                asked.append(
                    (("kinds", *kinds), lambda: tantivy.Query.term_set_query(SCHEMA, "kind", kinds))
                )
            # Each one asked, so that each word is known as asked.
            matched = [matches.get(key, self.searcher, query) for key, query in asked]
            if all(m is not None and m.bits is not None for m in matched):
                return matched_count(matched, self.searcher.num_docs)
        return self.searcher.search(self.every_match, 1, count=True).count


def facet_counts(
    searcher,
    terms: list[str],
    kinds: list[str],
    conditions: list[list[str]],
    *,
    indexed,
    found=None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Entries per kind and per facet value, among the entries of ``kinds`` that have every
    word of ``terms`` in any field and, for each list of ``conditions``, one of its facet
    values: one pass over the matches' columns (or what that pass gave when the same was
    asked before at the index's present state; the counts are shared: read them only)."""
    Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
    search = Search(searcher, terms, kinds, indexed=indexed, found=found)

    def count():
        clauses = [(Occur.Must, search.every_match)]
        for values in conditions:
            clauses.append((Occur.Must, Q.term_set_query(SCHEMA, "facet", values)))
        counted = searcher.aggregate(
            Q.boolean_query(clauses),
            {
                "kind": {"terms": {"field": "kind", "size": 1000}},
                "facet": {"terms": {"field": "facet", "size": _FACET_VALUES}},
            },
        )

        def buckets(name):
            return {bucket["key"]: bucket["doc_count"] for bucket in counted[name]["buckets"]}

        return buckets("kind"), buckets("facet")

    return search.kept(("facets", tuple(tuple(values) for values in conditions)), count)


# Related entries (search/related.py) ------------------------------------------------------------

_OWN_TEXT = ("title", "body")  # the fields of an entry's own text, its tags' words aside


def _in_own_text(word: str, *, prefix: bool):
    """The entries holding ``word`` (or, with ``prefix``, a word it begins) in their title or
    body, scoring nothing."""
    Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
    if prefix:
        pattern = f"{re.escape(word)}.*"
        either = [Q.regex_query(SCHEMA, field, pattern) for field in _OWN_TEXT]
    else:
        either = [Q.term_query(SCHEMA, field, word) for field in _OWN_TEXT]
    return Q.boolean_query([(Occur.Should, query) for query in either])


def own_text_counts(searcher, words: list[str], *, prefix: bool) -> dict[str, int]:
    """How many index entries hold each word (or a word it begins) in their title or body."""
    return {
        word: searcher.search(_in_own_text(word, prefix=prefix), 1, count=True).count
        for word in words
    }


def own_text_holders(searcher, word: str, kinds: list[str], *, indexed) -> list[int]:
    """The index entries (``SearchEntry`` ids) of ``kinds`` holding the word or a word it begins
    in their title or body: every one, in no order."""
    Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
    clauses = [(Occur.Must, _in_own_text(word, prefix=True))]
    kind = Search._kinds(SCHEMA, kinds, indexed)
    if kind:
        clauses.append(kind)
    query = Q.const_score_query(Q.boolean_query(clauses), 0.0)
    count = searcher.search(query, 1, count=True).count
    if not count:
        return []
    hits = searcher.search(query, count, count=False).hits
    return searcher.fast_field_values("entry", [address for _score, address in hits])
