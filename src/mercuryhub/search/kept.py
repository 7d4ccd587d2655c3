"""What each worker keeps of what the ranking index (search/ranking_index.py) found at its
present state: what searches found (``Found``), so that a search asked again skips its
matches, and the entries each word of the searches matches (``Matches``), so that a search
made of words asked before is counted off their sets of bits rather than through its
matches."""

import functools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import tantivy
from django.conf import settings

if TYPE_CHECKING:
    from mercuryhub.search.ranking_index import State


@dataclass(frozen=True)
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
    """The entries each word of the searches matches (``Matched``), kept by the process for
    the index's present state, so that the count of a search made of words asked before is read
    off their sets of bits rather than by going through every match: at a million entries a
    word of the domain matches hundreds of thousands, and a count through them takes tens of
    milliseconds. A word's matches are kept the second time a search asks for it (the first
    time its search counts as before: a word never asked again costs nothing more), at most
    ``SEARCH_MATCHES_KEPT_MB`` in all (a bit per entry of the index for each word), the least
    recently asked forgotten first.

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

    def get(self, key, searcher: tantivy.Searcher, query: Callable) -> Matched | None:
        """The entries ``query()`` (what ``key`` names) matches, or None when it was not asked
        before or may not be kept (the caller counts as before)."""
        most = settings.SEARCH_MATCHES_KEPT_MB * 2**20
        with self._lock:
            kept = self._kept.read(key)
            if kept is not None:
                return kept
            carried = self._carried.pop(key, None)
            if not most or (carried is None and key not in self._asked):
                self._asked[key] = True
                while len(self._asked) > self.ASKED:
                    self._asked.popitem(last=False)
                return None
        if carried is None or carried[0].bits is None:
            matched = _matched(searcher, query())
        else:
            matched = self._read_again(searcher, query(), *carried)
        if matched.size > most:
            return None
        with self._lock:
            self._asked.pop(key, None)
            self._kept.keep(key, matched, matched.size, most)
        return matched

    def _read_again(self, searcher, query, matched: Matched, changed: set[int]) -> Matched:
        """``matched`` with the entries ``changed`` since read again: whether each (still in
        the index) matches the query now."""
        if not changed:
            return matched
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
        ids = sorted(changed)
        if matched.inverted:
            query = _not(query)
        query = Q.boolean_query(
            [(Occur.Must, query), (Occur.Must, Q.term_set_query(self.schema, "entry", ids))]
        )
        bits = matched.bits & ~_bits(ids) | _bits(_entries(searcher, query, len(ids)))
        return Matched(bits, matched.inverted)


# A query matching fewer than this share of the index's entries is not kept: counting its
# matches with the others' goes through its own few (the index starts from the rarest).
_KEPT_FROM = 0.01


def _matched(searcher: tantivy.Searcher, query) -> Matched:
    every_entry = searcher.num_docs
    count = searcher.search(query, 1, count=True).count
    if count < _KEPT_FROM * every_entry:
        return Matched(None)
    inverted = count > every_entry / 2
    if inverted:
        query, count = _not(query), every_entry - count
    return Matched(_bits(_entries(searcher, query, count)), inverted)


def _not(query):
    """The entries of the index ``query`` does not match."""
    Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806 - the library's names
    return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, query)])


def _entries(searcher: tantivy.Searcher, query, most: int) -> list[int]:
    """The entries (``SearchEntry`` ids) ``query`` matches, at most ``most`` of them."""
    if not most:
        return []
    found = searcher.search(query, most, count=False, order_by_field="entry").hits
    return [entry for entry, _address in found]


def _bits(entries: list[int]) -> int:
    """The set of ``entries`` as an integer: bit ``n`` for the entry ``n``."""
    if not entries:
        return 0
    bits = bytearray(max(entries) // 8 + 1)
    for entry in entries:
        bits[entry >> 3] |= 1 << (entry & 7)
    return int.from_bytes(bits, "little")


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
        if values <= most:
            with self._lock:
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
