"""What each worker keeps of what the ranking index (search/ranking_index.py) found at its
present state: what searches found (``Found``), so that a search asked again skips its
matches, and the entries each word of the searches matches with their scores (``Matches``),
so that a search made of words asked before is counted off their sets of bits and ranked off
their scores rather than through its matches."""

import functools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import tantivy
from django.conf import settings

if TYPE_CHECKING:
    from mercuryhub.search.ranking_index import State


@dataclass(frozen=True, eq=False)
class Matched:
    """The entries a query matches at one state of the index, as a set of bits (one per
    ``SearchEntry`` id); ``inverted``: the entries it does not match (those of a word most
    entries hold are fewer to read). ``bits`` None: the query matches too few entries to be
    worth keeping (counting through them is as quick as reading the bits)."""

    bits: int | None
    inverted: bool = False

    @property
    def size(self) -> int:  # in bytes, about
        return 64 + (self.bits.bit_length() // 8 if self.bits else 0)

    @classmethod
    def read(cls, searcher: tantivy.Searcher, query) -> "Matched":
        every_entry = searcher.num_docs
        count = searcher.search(query, 1, count=True).count
        if count < _KEPT_FROM * every_entry:
            return cls(None)
        inverted = count > every_entry / 2
        if inverted:
            query, count = _not(query), every_entry - count
        return cls(_bits(_entries(searcher, query, count)), inverted)

    def read_again(self, searcher, query, changed: set[int], schema) -> "Matched":
        """These matches with the entries ``changed`` since read again: whether each (still
        in the index) matches the query now."""
        if self.bits is None:
            return self.read(searcher, query)
        if not changed:
            return self
        ids = sorted(changed)
        query = _among(_not(query) if self.inverted else query, ids, schema)
        bits = self.bits & ~_bits(ids) | _bits(_entries(searcher, query, len(ids)))
        return Matched(bits, self.inverted)

    @cached_property
    def array(self) -> np.ndarray:
        """The bits as bytes (bit ``n`` of the entry ``n``, least significant first)."""
        return np.frombuffer(
            self.bits.to_bytes((self.bits.bit_length() + 7) // 8, "little"), np.uint8
        )


def matched_count(matched: list[Matched], every_entry: int) -> int:
    """How many entries every one of the queries matches, of the ``every_entry`` the index
    holds (read off their sets of bits: no entry is gone through)."""
    held = [m.bits for m in matched if not m.inverted]
    left_out = [m.bits for m in matched if m.inverted]
    if not held:
        return every_entry - functools.reduce(operator.or_, left_out, 0).bit_count()
    bits = functools.reduce(operator.and_, held)
    for not_matched in left_out:
        bits &= ~not_matched
    return bits.bit_count()


_MISSING = object()


class _Recent:
    """Values by key, at most so much in all (each value's size given as it is kept), the least
    recently read forgotten first. Its owner holds the lock around each call."""

    def __init__(self):
        self.values: OrderedDict = OrderedDict()  # key -> (value, its size)
        self._total = 0

    def read(self, key, default=None):
        found = self.values.get(key, _MISSING)
        if found is _MISSING:
            return default
        self.values.move_to_end(key)
        return found[0]

    def keep(self, key, value, size: int, most: int) -> None:
        if key not in self.values:
            self.values[key] = (value, size)
            self._total += size
        while self._total > most:
            _key, (_value, forgotten) = self.values.popitem(last=False)
            self._total -= forgotten


class Matches:
    """The entries each word of the searches matches (``Matched``) and the score each entry
    has for it (``Ranked``), kept by the process for the index's present state, so that the
    count of a search made of words asked before is read off their sets of bits, and its
    groups ranked off their scores, rather than by going through every match: at a million
    entries a word of the domain matches hundreds of thousands, and a count or a ranking
    through them takes tens of milliseconds. A word's are kept the second time a search asks
    for it (the first time its search asks the index as before: a word never asked again costs
    nothing more), at most ``SEARCH_MATCHES_KEPT_MB`` in all (for each word a bit per entry of
    the index, and two bytes per entry for its scores), the least recently asked forgotten
    first.

    When the index changes, what was kept is carried to its new state (``carried``): a word's
    matches change only where entries changed, so the first search asking for it then reads
    whether those entries match, not every entry."""

    ASKED = 10_000  # the words asked once remembered at most (the most recent)
    CARRIED = 10_000  # the entries changed since a word's matches were read, at most

    def __init__(self, schema: tantivy.Schema):
        self.schema = schema
        self._kept = _Recent()  # key -> Matched
        self._asked: OrderedDict = OrderedDict()  # keys asked once
        # key -> (Matched at an earlier state, the entries changed since): read again when asked
        self._carried: dict = {}
        self._lock = threading.Lock()

    def carried(self, changed: set[int]) -> "Matches":
        """What is kept, for the index once the entries ``changed`` have changed."""
        after = Matches(self.schema)
        with self._lock:
            before = {key: (m, set()) for key, (m, _size) in self._kept.values.items()}
            before |= self._carried
            after._asked = self._asked.copy()  # a word asked once is asked again after
        for key, (matched, since) in before.items():
            since = since | changed
            if len(since) <= self.CARRIED:
                after._carried[key] = (matched, since)
        return after

    def held(self, key) -> Matched | None:
        """What is kept for ``key`` at this state, if anything (not an asking)."""
        with self._lock:
            return self._kept.values.get(key, (None,))[0]

    def get(self, key, searcher: tantivy.Searcher, query: Callable, kind=None, *, force=False):
        """What ``query()`` (what ``key`` names) matches, read as ``kind`` (``Matched``: the
        entries; ``Ranked``: the entries with their scores), or None when it was not asked
        before (unless ``force``) or may not be kept (the caller asks the index as before)."""
        kind = kind or Matched
        most = settings.SEARCH_MATCHES_KEPT_MB * 2**20
        with self._lock:
            kept = self._kept.read(key)
            if kept is not None:
                return kept
            carried = self._carried.pop(key, None)
            if not most or (carried is None and key not in self._asked and not force):
                self._asked[key] = True
                while len(self._asked) > self.ASKED:
                    self._asked.popitem(last=False)
                return None
        if carried is None:
            value = kind.read(searcher, query())
        else:
            value = carried[0].read_again(searcher, query(), carried[1], self.schema)
        if value.size > most:
            return None
        with self._lock:
            self._asked.pop(key, None)
            self._kept.keep(key, value, value.size, most)
        return value


# A query matching fewer than this share of the index's entries is not kept: counting its
# matches with the others' goes through its own few (the index starts from the rarest).
_KEPT_FROM = 0.01


@dataclass(frozen=True, eq=False)
class Ranked:
    """What a word of the searches gives the ranking of the title and record groups
    (search/groups.py), at one state of the index: the score of each entry holding it in its
    own text (its part of the entry's BM25 score, the sum of its words' in every field), and
    the entries holding it in their title (a bit each). The groups of a search made of such
    words are ranked off them (``ranked``) rather than by scoring each of their matches in the
    index. ``codes`` None: the word is held by too few entries to be worth keeping (the index
    scores those few as quickly).

    A word's scores take few values (its frequency and each field's length, in buckets, make
    them), so each entry holds the number of its score in ``table`` (two bytes, where the
    word's scores take fewer than 65,536 values), 0 where it does not hold the word.

    Carried to a later state, the entries changed since are read again, with that state's
    statistics (how many entries hold the word, the fields' mean lengths); the others keep
    the scores they had, until the word is read afresh (more than ``Matches.CARRIED``
    changes, or another generation of the index), as a search engine's shards score with
    their own statistics."""

    codes: np.ndarray | None  # by entry id: its score's place in ``table``, 0 if not held
    table: np.ndarray | None = None  # float32 scores; table[0] for the entries not held
    title: np.ndarray | None = None  # bits by entry id (bit n of byte n // 8, lowest first)
    scored: tuple = ()  # the index's words scored for it (those its prefix begins), per field
    changed: int = 0  # entries read again since it was read afresh

    @property
    def size(self) -> int:  # in bytes, about
        if self.codes is None:
            return 64
        return 64 + self.codes.nbytes + self.table.nbytes + self.record.nbytes + self.title.nbytes

    @cached_property
    def record(self) -> np.ndarray:
        """The entries holding the word in their own text, as bits."""
        return np.packbits(self.codes != 0, bitorder="little")

    @classmethod
    def read(cls, searcher: tantivy.Searcher, queries) -> "Ranked":
        """``queries``: the word in the record's own text, scored, and in its title, and the
        index's words scored for it."""
        in_text, in_title, scored = queries
        count = searcher.search(in_text, 1, count=True).count
        if not count or count < _KEPT_FROM * searcher.num_docs:
            return cls(None)
        entries, values = _scored(searcher, in_text, count)
        titled = _entries(searcher, in_title, count)
        size = int(max(entries.max(), titled.max(initial=0))) + 1
        return cls(*_coded(size, entries, values), _bits_of(size, titled), scored)

    def read_again(self, searcher, queries, changed: set[int], schema) -> "Ranked":
        """This word's scores with the entries ``changed`` since read again; read afresh when
        the words scored for it are others now (a word its prefix begins became more or less
        frequent than another) or beyond ``Matches.CARRIED`` entries read again since."""
        in_text, in_title, scored = queries
        if (
            self.codes is None
            or scored != self.scored
            or self.changed + len(changed) > Matches.CARRIED
        ):
            return self.read(searcher, queries)
        if not changed:
            return self
        ids = np.array(sorted(changed), np.int64)
        entries, values = _scored(searcher, _among(in_text, ids.tolist(), schema), len(ids))
        titled = _entries(searcher, _among(in_title, ids.tolist(), schema), len(ids))
        size = max(len(self.codes), int(ids.max()) + 1)
        table = self.table
        if len(table) + len(values) > np.iinfo(self.codes.dtype).max + 1:  # coded afresh
            scores = np.full(size, table[0], np.float32)
            scores[: len(self.codes)] = table[self.codes]
            scores[ids] = table[0]
            scores[entries] = values
            held = np.flatnonzero(scores != table[0])
            codes, table = _coded(size, held, scores[held])
        else:  # the scores read again added to the table
            codes = np.zeros(size, self.codes.dtype)
            codes[: len(self.codes)] = self.codes
            codes[ids] = 0
            codes[entries] = np.arange(len(table), len(table) + len(values))
            table = np.concatenate([table, values])
        title = np.zeros(size, bool)
        title[: len(self.codes)] = np.unpackbits(self.title, bitorder="little")[
            : len(self.codes)
        ].view(bool)
        title[ids] = False
        title[titled] = True
        title = np.packbits(title, bitorder="little")
        return Ranked(codes, table, title, scored, self.changed + len(changed))

    def scores(self, entries: np.ndarray) -> np.ndarray:
        """The word's score in each of ``entries`` (which hold it)."""
        return self.table[self.codes[entries]]


def _coded(size: int, entries: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scores by entry as codes (``Ranked``): each entry's place in the table of the distinct
    scores, 0 for the entries not given."""
    distinct, places = np.unique(values, return_inverse=True)
    table = np.concatenate([np.array([-1.0], np.float32), distinct.astype(np.float32)])
    codes = np.zeros(size, np.uint16 if len(table) <= 2**16 else np.uint32)
    codes[entries] = places + 1
    return codes, table


def _bits_of(size: int, entries) -> np.ndarray:
    held = np.zeros(size, bool)
    held[entries] = True
    return np.packbits(held, bitorder="little")


def ranked(
    words: list[Ranked], kinds: Matched | None, *, in_title: bool, most: int
) -> tuple[int, list[tuple[int, float]]]:
    """The entries holding every one of ``words`` in their own text, and one of them in their
    title (``in_title``) or none: how many, and the first ``most`` of them (entry, score), by
    the sum of the words' scores (the score the index gives them), then by entry. ``kinds``:
    the entries of the kinds searched (None: every entry)."""
    width = max(len(word.record) for word in words)
    mask = functools.reduce(np.bitwise_and, [_widened(word.record, width) for word in words])
    titles = functools.reduce(np.bitwise_or, [_widened(word.title, width) for word in words])
    mask &= titles if in_title else ~titles
    if kinds is not None:
        held = _widened(kinds.array, width)
        mask &= ~held if kinds.inverted else held
    entries = _set_bits(mask)
    count = len(entries)
    if not count or not most:
        return count, []
    total = words[0].scores(entries)  # every word holds each of them: within its codes
    for word in words[1:]:
        total += word.scores(entries)
    if most < len(entries):
        # The ``most`` best, and any tied with the last of them: ordered by entry below.
        last = np.partition(total, len(total) - most)[len(total) - most]
        best = np.flatnonzero(total >= last)
        entries, total = entries[best], total[best]
    order = np.lexsort((entries, -total))[:most]
    return count, list(zip(entries[order].tolist(), total[order].tolist(), strict=True))


def _set_bits(bits: np.ndarray) -> np.ndarray:
    """The numbers of the bits set in ``bits`` (bit n of byte n // 8, lowest first), in order:
    only the bytes holding one are unpacked."""
    held = np.flatnonzero(bits)
    unpacked = np.unpackbits(bits[held, None], axis=1, bitorder="little").view(bool)
    places, within = np.nonzero(unpacked)
    return held[places] * 8 + within


def _widened(bits: np.ndarray, width: int) -> np.ndarray:
    """A copy of ``bits`` ``width`` bytes long (the entries beyond: none)."""
    widened = np.zeros(width, np.uint8)
    widened[: min(width, len(bits))] = bits[:width]
    return widened


_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)  # of a hit


def _scored(searcher: tantivy.Searcher, query, most: int) -> tuple[np.ndarray, np.ndarray]:
    """The entries ``query`` matches (at most ``most``) and the score of each."""
    if not most:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    hits = searcher.search(query, most, count=False).hits
    entries = searcher.fast_field_values("entry", list(map(_SECOND, hits)))
    return np.array(entries, np.int64), np.fromiter(map(_FIRST, hits), np.float32, len(hits))


def _among(query, ids: list[int], schema):
    """``query`` among the entries ``ids`` alone (which add nothing to its score)."""
    Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
    among = Q.const_score_query(Q.term_set_query(schema, "entry", ids), 0.0)
    return Q.boolean_query([(Occur.Must, query), (Occur.Must, among)])


def _not(query):
    """The entries of the index ``query`` does not match."""
    Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
    return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, query)])


def _entries(searcher: tantivy.Searcher, query, most: int) -> np.ndarray:
    """The entries (``SearchEntry`` ids) ``query`` matches, at most ``most`` of them."""
    if not most:
        return np.zeros(0, np.int64)
    found = searcher.search(query, most, count=False, order_by_field="entry").hits
    return np.fromiter(map(_FIRST, found), np.int64, len(found))


def _bits(entries) -> int:
    """The set of ``entries`` as an integer: bit ``n`` for the entry ``n``."""
    if not len(entries):
        return 0
    entries = np.asarray(entries, np.int64)
    return int.from_bytes(_bits_of(int(entries.max()) + 1, entries).tobytes(), "little")


class Found:
    """What searches found at one state of the index (entries and scores, counts: what the
    files alone decide), kept by the process while the index stays at that state, so that a
    search asked again is answered without going through its matches again (at a million
    entries a broad query's count alone goes through hundreds of thousands). Each worker keeps
    its own, at most ``SEARCH_FOUND_KEPT`` values (an entry found with its score, a count, a
    filter value's count: about 100 bytes each), the least recently asked forgotten first; any
    change to the index (a publication, a withdrawal, a rebuild) starts afresh. The entries
    found are still read from the database, which leaves out any withdrawn since."""

    def __init__(self, state: "State", matches: "Matches | None" = None):
        self.state = state
        self.matches = matches  # the entries the words of searches match
        self._kept = _Recent()  # key -> what the search found
        self._lock = threading.Lock()

    def get(self, key, compute: Callable):
        """What ``compute()`` gives for ``key`` (hashable: what the search asked), computed
        once at this state. The value is shared: its readers must not change it."""
        with self._lock:
            kept = self._kept.read(key, _MISSING)
        if kept is not _MISSING:
            return kept
        value = compute()
        values, most = _values(value), settings.SEARCH_FOUND_KEPT
        with self._lock:
            kept = self._kept.read(key, _MISSING)
            if kept is not _MISSING:  # another thread's, computed meanwhile: one answer
                return kept
            if values <= most:
                self._kept.keep(key, value, values, most)
        return value


def _values(found) -> int:
    """How many values a result holds: a count is one, a list of entries or a filter's counts
    one per item, a tuple the sum of its parts'."""
    if isinstance(found, tuple):
        return sum(_values(part) for part in found)
    if isinstance(found, int | float):
        return 1
    return max(1, len(found))
